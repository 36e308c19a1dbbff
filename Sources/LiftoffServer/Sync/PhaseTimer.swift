import Logging

/// Times the phases of one reflow from the import to the diff, with the time spent waiting for
/// Autotask taken out: what Liftoff itself costs per run, whatever the tenant's latency (the
/// 500-technician target in BENCHMARKS.md is on this figure). An upper bound: waits before a request
/// is sent (the thread limiter, the budget, pauses between retries) count as Liftoff's work, and only
/// the import's requests are taken out.
struct PhaseTimer {
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant
    private var apiTime: Duration
    private var phases: [(name: String, elapsed: Duration, api: Duration)] = []

    init(apiTime: Duration) {
        last = clock.now
        self.apiTime = apiTime
    }

    /// Ends the phase `name`; `apiTime` is the client's running total of time waited for answers,
    /// for a phase that calls Autotask.
    mutating func end(_ name: String, apiTime total: Duration? = nil) {
        let now = clock.now
        let api = total.map { $0 - apiTime } ?? .zero
        if let total { apiTime = total }
        phases.append((name, now - last, api))
        last = now
    }

    /// Every phase's milliseconds, the import's API wait, and `workMs`: the sum without that wait.
    func metadata(technicians: Int) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["technicians": "\(technicians)"]
        var work = Duration.zero
        for phase in phases {
            metadata["\(phase.name)Ms"] = "\(Self.milliseconds(phase.elapsed))"
            if phase.api > .zero { metadata["\(phase.name)ApiMs"] = "\(Self.milliseconds(phase.api))" }
            work += phase.elapsed - min(phase.api, phase.elapsed)
        }
        metadata["workMs"] = "\(Self.milliseconds(work))"
        return metadata
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
