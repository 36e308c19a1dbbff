import AutotaskAPI
import Foundation
import LiftoffCore
import WallClock

/// The PSA a simulated week runs against — in practice the Autotask sandbox seeded with the demo MSP —
/// as the day simulator needs it: an address to talk Autotask's REST API to, and a look at its
/// records from outside, to measure what customers and technicians see in Outlook.
///
/// LiftoffServer does not depend on the sandbox (production never starts one), so `liftoff simulate`
/// and the tests hand one in through a ``Factory``:
///
/// ```swift
/// let factory: SimulatedPSA.Factory = { technicians, clock in
///     let sandbox = SandboxServer(
///         configuration: SandboxConfiguration(hourlyThreshold: 1_000_000_000),
///         records: DemoMSP.records(now: clock.now(), technicianCount: technicians), clock: clock)
///     let port = try await sandbox.start(port: 0)
///     return SimulatedPSA(
///         discoveryURL: SandboxServer.discoveryURL(port: port), integrationCode: …, userName: …, secret: …,
///         records: { await sandbox.records() }, writes: { await sandbox.requestStatistics().writes },
///         shutdown: { await sandbox.shutdown() })
/// }
/// ```
public struct SimulatedPSA: Sendable {
    /// Starts a PSA holding the demo MSP with `technicians` technicians, whose time is `clock`.
    public typealias Factory = @Sendable (_ technicians: Int, _ clock: LiftoffClock) async throws -> SimulatedPSA

    public var discoveryURL: URL
    public var integrationCode: String
    public var userName: String
    public var secret: String
    /// Every record by entity name ("ServiceCalls", "Appointments", …), as Autotask would answer them.
    public var records: @Sendable () async -> [String: [JSONObject]]
    /// Writes (creates, updates, deletes) applied so far, by anyone.
    public var writes: @Sendable () async -> Int
    public var shutdown: @Sendable () async -> Void

    public init(
        discoveryURL: URL, integrationCode: String, userName: String, secret: String,
        records: @escaping @Sendable () async -> [String: [JSONObject]], writes: @escaping @Sendable () async -> Int,
        shutdown: @escaping @Sendable () async -> Void
    ) {
        self.discoveryURL = discoveryURL
        self.integrationCode = integrationCode
        self.userName = userName
        self.secret = secret
        self.records = records
        self.writes = writes
        self.shutdown = shutdown
    }

    /// A client configuration for it. Liftoff and the simulated people (Calendly, TimeZest,
    /// technicians working in Autotask) each get a client of their own, so Liftoff's request count
    /// is its own.
    var clientConfiguration: AutotaskConfiguration {
        AutotaskConfiguration(
            integrationCode: integrationCode, userName: userName, secret: secret, discoveryURL: discoveryURL,
            retry: RetryPolicy(maximumAttempts: 5, baseDelay: .milliseconds(20), maximumDelay: .milliseconds(200)))
    }
}
