import Foundation

/// Who may call the sandbox and how strictly it plays Autotask's limits.
public struct SandboxConfiguration: Sendable {
    /// The credentials the sandbox accepts; any other user or secret gets 401, another
    /// integration code 500 "IntegrationCode is invalid.", as in Autotask.
    public var integrationCode: String
    public var userName: String
    public var secret: String
    /// Requests per rolling hour for the whole "database" (Autotask: 10,000).
    public var hourlyThreshold: Int
    /// Concurrent requests per endpoint and integration code (Autotask: 3).
    public var threadLimit: Int
    /// A missing id answers `200 {"item": null}` (the common report) or, when false, 404.
    public var missingItemAsNull: Bool
    public var faults: SandboxFaults
    /// The form of the `timeZoneID` picklist labels (Autotask does not document which tenants see).
    public var zoneLabels: ZoneLabelForm

    public init(
        integrationCode: String = "LIFTOFF-SANDBOX", userName: String = "liftoff@sandbox.local",
        secret: String = "sandbox-secret", hourlyThreshold: Int = 10_000, threadLimit: Int = 3,
        missingItemAsNull: Bool = true, faults: SandboxFaults = SandboxFaults(), zoneLabels: ZoneLabelForm = .display
    ) {
        self.integrationCode = integrationCode
        self.userName = userName
        self.secret = secret
        self.hourlyThreshold = hourlyThreshold
        self.threadLimit = threadLimit
        self.missingItemAsNull = missingItemAsNull
        self.faults = faults
        self.zoneLabels = zoneLabels
    }
}

/// Faults the sandbox injects into a share of requests, for tests of retries and recovery.
///
/// `liftoff sandbox --faults "latency=50ms,error=0.1,timeout=0.02,thread=0.05,budget=0.01,drop=0.05,seed=7"`
public struct SandboxFaults: Sendable, Equatable {
    /// Added to every authenticated request.
    public var latency: Duration = .zero
    /// Share of requests answered 500 "An unexpected error has occurred." before doing anything.
    public var serverErrorRate = 0.0
    /// Share of requests that hang for `timeoutDuration` before a 500.
    public var timeoutRate = 0.0
    public var timeoutDuration: Duration = .seconds(60)
    /// Share of requests refused with Autotask's thread-threshold answer.
    public var threadLimitRate = 0.0
    /// Share of requests refused with the hourly-threshold answer.
    public var budgetExhaustedRate = 0.0
    /// Share of writes applied and then answered by dropping the connection.
    public var dropAfterWriteRate = 0.0
    /// Seed of the fault dice, so a faulty run can be repeated.
    public var seed: UInt64 = 1

    public init() {}

    /// Reads `key=value` pairs separated by commas: `latency` and `timeoutAfter` in ms or s
    /// (`50ms`, `2s`), the rates `error`, `timeout`, `thread`, `budget`, `drop` as shares 0…1, `seed`.
    public init(parsing spec: String) throws(SandboxInputError) {
        self.init()
        for pair in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw SandboxInputError(message: "\(pair): expected key=value") }
            let (key, value) = (parts[0], parts[1])
            func rate() throws(SandboxInputError) -> Double {
                guard let share = Double(value), (0...1).contains(share) else {
                    throw SandboxInputError(message: "\(key): expected a share from 0 to 1, got \(value)")
                }
                return share
            }
            func duration() throws(SandboxInputError) -> Duration {
                if value.hasSuffix("ms"), let number = Int(value.dropLast(2)) { return .milliseconds(number) }
                if value.hasSuffix("s"), let number = Int(value.dropLast(1)) { return .seconds(number) }
                throw SandboxInputError(message: "\(key): expected a duration like 50ms or 2s, got \(value)")
            }
            switch key {
            case "latency": latency = try duration()
            case "timeoutAfter": timeoutDuration = try duration()
            case "error": serverErrorRate = try rate()
            case "timeout": timeoutRate = try rate()
            case "thread": threadLimitRate = try rate()
            case "budget": budgetExhaustedRate = try rate()
            case "drop": dropAfterWriteRate = try rate()
            case "seed":
                guard let number = UInt64(value) else {
                    throw SandboxInputError(message: "seed: expected a number, got \(value)")
                }
                seed = number
            default:
                throw SandboxInputError(
                    message:
                        "unknown fault \(key); use latency, timeoutAfter, error, timeout, thread, budget, drop, seed")
            }
        }
    }
}

/// Input to the sandbox that cannot be used — a `--faults` value, a state file — and what is wrong.
public struct SandboxInputError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// One fault to inject into the next matching request, for deterministic tests.
public enum SandboxFault: String, Sendable, CaseIterable {
    case serverError, timeout, threadLimit, budgetExhausted, dropAfterWrite
}
