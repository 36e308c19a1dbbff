import Foundation

/// The sandbox's bookkeeping of Autotask's limits and of the faults to inject.
actor SandboxLimits {
    private var configuration: SandboxConfiguration
    private var inFlight: [String: Int] = [:]
    private var requests: [Date] = []
    private var scripted: [(fault: SandboxFault, method: String?, entity: String?)] = []
    private var random: UInt64
    private(set) var totalRequests = 0
    private(set) var highestInFlight = 0
    /// Writes applied (creates, updates, deletes), whatever answer they got.
    private(set) var writes = 0

    func recordWrite() {
        writes += 1
    }

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        self.random = configuration.faults.seed
    }

    var faults: SandboxFaults { configuration.faults }

    func setFaults(_ faults: SandboxFaults) {
        configuration.faults = faults
        random = faults.seed
    }

    func setHourlyThreshold(_ threshold: Int) {
        configuration.hourlyThreshold = threshold
    }

    func inject(_ fault: SandboxFault, method: String?, entity: String?) {
        scripted.append((fault, method?.uppercased(), entity?.lowercased()))
    }

    /// The first scripted fault for this request, used up; never the dice.
    func scriptedFault(method: String, entity: String) -> SandboxFault? {
        guard
            let index = scripted.firstIndex(where: {
                ($0.method == nil || $0.method == method) && ($0.entity == nil || $0.entity == entity)
            })
        else { return nil }
        return scripted.remove(at: index).fault
    }

    /// Requests counted in the rolling hour ending `now`.
    func requestsThisHour(now: Date) -> Int {
        let cutoff = now.addingTimeInterval(-3600)
        requests.removeAll { $0 < cutoff }
        return requests.count
    }

    var hourlyThreshold: Int { configuration.hourlyThreshold }

    /// Admits a request or says why not; an admitted request must be `finish`ed.
    func admit(endpoint: String, now: Date) -> SandboxError? {
        if requestsThisHour(now: now) >= configuration.hourlyThreshold {
            return SandboxError(429, Self.budgetMessage(configuration.hourlyThreshold))
        }
        requests.append(now)
        totalRequests += 1
        if inFlight[endpoint, default: 0] >= configuration.threadLimit {
            return SandboxError(429, Self.threadMessage(configuration.threadLimit))
        }
        inFlight[endpoint, default: 0] += 1
        highestInFlight = max(highestInFlight, inFlight[endpoint]!)
        return nil
    }

    func finish(endpoint: String) {
        inFlight[endpoint, default: 1] -= 1
    }

    /// The fault for this request, if any: a scripted one first, else the dice.
    func fault(method: String, entity: String, isWrite: Bool) -> SandboxFault? {
        if let fault = scriptedFault(method: method, entity: entity) { return fault }
        let faults = configuration.faults
        let roll = nextUnit()
        var threshold = 0.0
        for (fault, rate) in [
            (SandboxFault.serverError, faults.serverErrorRate), (.timeout, faults.timeoutRate),
            (.threadLimit, faults.threadLimitRate), (.budgetExhausted, faults.budgetExhaustedRate),
            (.dropAfterWrite, isWrite ? faults.dropAfterWriteRate : 0),
        ] {
            threshold += rate
            if roll < threshold { return fault }
        }
        return nil
    }

    private func nextUnit() -> Double {
        random &+= 0x9E37_79B9_7F4A_7C15
        var z = random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }

    static func threadMessage(_ limit: Int) -> String {
        "Thread Threshold Exceeded — The Autotask API thread threshold of \(limit) threads has been exceeded."
    }

    static func budgetMessage(_ threshold: Int) -> String {
        "API request threshold of \(threshold) requests per 60 minutes has been exceeded. Try again later."
    }
}
