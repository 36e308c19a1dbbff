import AutotaskAPI
import Fluent
import Foundation
import Logging
import WallClock

/// The live link to Autotask: the client, Calendar Reflow on its schedule, and the ticket outbox.
/// Rebuilt when an admin saves a new connection on the Settings page, without a restart.
public actor AutotaskConnection {
    /// Where the credentials came from; the Settings page says so.
    public enum Source: String, Sendable {
        case configuration, settings, none
    }

    let database: Database
    let logger: Logger
    let box: SecretBox
    /// Credentials from flags or the environment win over stored ones.
    let configured: AutotaskConfiguration?
    /// The server's one clock, for the reflow job and the ticket outbox.
    let clock: LiftoffClock
    private(set) var source: Source = .none
    private(set) var client: AutotaskClient?
    private(set) var coordinator: ReflowCoordinator?
    private(set) var intervalMinutes: Int
    /// How long a reflow holds the Store's lease between renewals (``CalendarReflowJob/leaseDuration``).
    let leaseSeconds: TimeInterval
    /// Why the saved connection could not be used at start (for the Settings page), if it could not.
    private(set) var problem: String?
    private var scheduler: Task<Void, Never>?
    /// Whether reflow runs on its schedule in this process (off in tests).
    private var scheduling = false
    private var stopped = false
    /// Sends Workboard ticket statuses as they are queued (the ticket outbox).
    private var ticketOutbox: TicketOutboxTrigger?

    static let intervalKey = "reflow-interval-minutes"

    init(
        database: Database, logger: Logger, box: SecretBox, configured: AutotaskConfiguration?, intervalMinutes: Int,
        clock: LiftoffClock, leaseSeconds: TimeInterval = 120
    ) {
        self.clock = clock
        self.leaseSeconds = leaseSeconds
        self.database = database
        self.logger = logger
        self.box = box
        self.configured = configured
        self.intervalMinutes = intervalMinutes
    }

    /// Connects with the configured or stored credentials and starts the schedule (unless
    /// `schedule` is false, as in tests that run reflows themselves).
    func start(schedule: Bool) async throws {
        if let text = try await SettingsStore.get(Self.intervalKey, on: database), let minutes = Int(text),
            (5...1440).contains(minutes)
        {
            intervalMinutes = minutes
        }
        if let configured {
            use(configured, source: .configuration)
        } else {
            do {
                if let stored = try await StoredConnection.load(on: database, box: box),
                    let configuration = stored.configuration
                {
                    use(configuration, source: .settings)
                }
            } catch {
                // Start anyway, so an admin can enter the connection again on the Settings page.
                problem = "\(error)"
                logger.error("the saved Autotask connection cannot be used", metadata: ["error": "\(error)"])
            }
        }
        scheduling = schedule
        if schedule { restartSchedule() }
    }

    private func use(_ configuration: AutotaskConfiguration, source: Source) {
        let client = AutotaskClient(configuration: configuration, logger: logger)
        self.client = client
        self.source = source
        coordinator = ReflowCoordinator(
            job: CalendarReflowJob(
                client: client, database: database, logger: logger, leaseDuration: leaseSeconds, clock: clock),
            logger: logger)
        // A drain under way with the old client ends on its own; drains never overlap (one gate).
        ticketOutbox = TicketOutboxTrigger(client: client, database: database, logger: logger, clock: clock)
    }

    private func restartSchedule() {
        scheduler?.cancel()
        guard let coordinator else { return }
        let minutes = intervalMinutes
        scheduler = Task { await coordinator.schedule(every: minutes) }
    }

    /// Saves a connection entered by an admin (secret encrypted) and switches to it.
    func save(_ connection: StoredConnection) async throws {
        guard let configuration = connection.configuration else {
            throw ConfigurationError(message: "the zone-discovery URL \(connection.discoveryURL) is not an http(s) URL")
        }
        try await connection.save(on: database, box: box)
        problem = nil
        if configured == nil {
            await coordinator?.stop()
            use(configuration, source: .settings)
            if scheduling { restartSchedule() }
        }
    }

    func setInterval(_ minutes: Int) async throws {
        guard (5...1440).contains(minutes) else {
            throw ConfigurationError(message: "the reflow interval must be 5 to 1440 minutes, got \(minutes)")
        }
        try await SettingsStore.set(Self.intervalKey, String(minutes), on: database)
        intervalMinutes = minutes
        if scheduling { restartSchedule() }
    }

    /// After a Workboard action or a settings change: write ticket statuses now
    /// (``TicketOutboxTrigger``) and reflow soon.
    func changed() async {
        guard !stopped else { return }
        await ticketOutbox?.pull()
        Task { await coordinator?.requestSoon() }
    }

    /// Checks credentials without saving them: zone discovery, then the tenant's request threshold.
    func test(_ configuration: AutotaskConfiguration) async -> (ok: Bool, message: String) {
        // An admin waits on this answer: one attempt, ten seconds, not the patient retries of a reflow.
        var probing = configuration
        probing.retry = RetryPolicy(maximumAttempts: 1)
        probing.requestTimeout = .seconds(10)
        let probe = AutotaskClient(configuration: probing, logger: logger)
        do {
            let zone = try await probe.zoneInformation()
            let threshold = try await probe.thresholdInformation(priority: .urgent)
            return (
                true,
                "Connected to \(zone.url) — \(threshold.currentTimeframeRequestCount) of \(threshold.externalRequestThreshold) requests used this hour"
            )
        } catch {
            logger.notice("connection test failed", metadata: ["error": "\(error)"])
            return (false, Self.testFailure(error, discoveryURL: configuration.discoveryURL))
        }
    }

    /// What a failed test tells the admin. Every failure that is not Autotask refusing the
    /// credentials reads the same — refused, timed out, TLS, DNS, or a server that is not Autotask —
    /// so the form cannot be used to map which hosts and ports this server reaches; the log has the
    /// detail for the operator.
    static func testFailure(_ error: Error, discoveryURL: URL) -> String {
        if case .authentication(let message)? = error as? AutotaskError {
            let said = message.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            return
                "Autotask refused the credentials (\(said)). Check the API user, its secret and the integration code."
        }
        return
            "Could not connect to Autotask through \(discoveryURL.host ?? "that address"). Check the zone-discovery URL and that this server may reach it; the server's log has the details."
    }

    /// Stops the schedule and waits for the reflow and the ticket writes under way to end.
    func stop() async {
        stopped = true
        scheduling = false
        scheduler?.cancel()
        scheduler = nil
        await coordinator?.stop()
        await ticketOutbox?.stop()
    }
}
