import AutotaskAPI
import AutotaskSandbox
import Fluent
import FluentPostgresDriver
import Foundation
import LiftoffCore
import Logging
import SQLKit
import Vapor
import WallClock

@testable import LiftoffServer

/// The Store databases the suite runs on: SQLite always, PostgreSQL when `scripts/test` provides one
/// (`LIFTOFF_TEST_POSTGRES_URL`, an admin URL; each test gets a database of its own).
enum TestDatabases {
    static var all: [String] {
        guard isPostgreSQLConfigured else {
            warnOnce
            return ["sqlite"]
        }
        // `LIFTOFF_TEST_DATABASES=sqlite` narrows a run (scripts/test's re-runs at other moments test
        // the clock, not the Store).
        if let only = ProcessInfo.processInfo.environment["LIFTOFF_TEST_DATABASES"], !only.isEmpty {
            return ["sqlite", "postgres"].filter { only.split(separator: ",").map(String.init).contains($0) }
        }
        return ["sqlite", "postgres"]
    }

    static var isPostgreSQLConfigured: Bool {
        ProcessInfo.processInfo.environment["LIFTOFF_TEST_POSTGRES_URL"] != nil
    }

    static let missingPostgreSQL = """
        PostgreSQL is not configured (LIFTOFF_TEST_POSTGRES_URL is unset): the Store, sync and web tests \
        run on SQLite only, and what only PostgreSQL shows (concurrent writers, its SQL) goes untested. \
        ./scripts/test starts a real PostgreSQL and runs them on both.
        """

    /// Said once, on standard error, where a plain `swift test` shows it among the results.
    private static let warnOnce: Void = {
        FileHandle.standardError.write(Data("\n*** WARNING: \(missingPostgreSQL)\n\n".utf8))
    }()
}

/// The moment every server test starts at, on a clock that moves only when a test moves it, so the
/// suite passes on any day at any hour. `LIFTOFF_TEST_NOW` picks another moment (`scripts/test` runs
/// the time-dependent suites again at several: in each office's shift, at a weekend, around a
/// daylight-saving change); the default is a Tuesday morning in Europe with Kolkata's technicians
/// in their shift and New York's not yet in theirs.
enum TestClock {
    static var start: Date {
        if let text = ProcessInfo.processInfo.environment["LIFTOFF_TEST_NOW"], !text.isEmpty {
            guard let instant = RFC3339.parse(text) else {
                fatalError("LIFTOFF_TEST_NOW must be an RFC 3339 instant such as 2026-09-08T09:00:00Z, got \(text)")
            }
            return instant.date
        }
        return Date(timeIntervalSince1970: 1_788_858_000)  // 2026-09-08T09:00:00Z, a Tuesday
    }
}

/// A Store, a sandbox with the demo MSP, and a reflow job between them, for one test.
struct ServerHarness {
    let app: Application
    let sandbox: SandboxServer
    let client: AutotaskClient
    let job: CalendarReflowJob
    let port: Int
    let postgresDatabase: String?
    /// The whole server (pages, API, accounts) when started with `web: true`.
    let runtime: LiftoffRuntime?
    /// The one clock of the test: the sandbox, the Store's jobs and the server read it.
    let clock: ManualClock
    private let stopped = StopFlag()
    var database: Database { app.db }

    static func start(
        _ kind: String, records: [String: [JSONObject]]? = nil,
        sandboxConfiguration: SandboxConfiguration = SandboxConfiguration(),
        clientTimeout: Duration = .seconds(5), sqliteFile: String? = nil, web: Bool = false,
        clock: ManualClock = ManualClock(at: TestClock.start), writing: WritingMode? = .on,
        trustedProxies: TrustedProxies = .none, mail: (any MailTransport)? = nil
    ) async throws -> ServerHarness {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        var postgresDatabase: String?
        let location: DatabaseLocation
        if kind == "postgres", let admin = ProcessInfo.processInfo.environment["LIFTOFF_TEST_POSTGRES_URL"] {
            let name =
                "liftoff_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            try await Self.admin(admin, "CREATE DATABASE \(name)")
            postgresDatabase = name
            location = .postgres(Self.url(admin, database: name))
        } else if let sqliteFile {
            location = .sqliteFile(sqliteFile)
        } else {
            location = .sqliteMemory
        }
        let sandbox = SandboxServer(
            configuration: sandboxConfiguration, records: records ?? DemoMSP.records(now: clock.now),
            clock: clock.clock)
        let port = try await sandbox.start(port: 0)
        let configuration = AutotaskConfiguration(
            integrationCode: sandboxConfiguration.integrationCode, userName: sandboxConfiguration.userName,
            secret: sandboxConfiguration.secret, discoveryURL: SandboxServer.discoveryURL(port: port),
            requestTimeout: clientTimeout,
            retry: RetryPolicy(maximumAttempts: 6, baseDelay: .milliseconds(10), maximumDelay: .milliseconds(100)))
        var runtime: LiftoffRuntime?
        if web {
            let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("liftoff-test-\(UUID()).key")
                .path
            var options = LiftoffServerOptions(
                configuration: LiftoffConfiguration(database: location, autotask: configuration),
                apiToken: "t0ken", keyFile: keyFile, schedule: false, initialAdminPassword: Self.password,
                metrics: { "# TYPE liftoff_test counter\nliftoff_test 1\n" }, clock: clock.clock,
                writing: writing, trustedProxies: trustedProxies)
            if let mail {
                // A relay as configured; the mails go to the test's transport instead.
                options.smtp = SMTPConfiguration(
                    host: "relay.example", port: 587, security: .startTLS,
                    from: MailMessage.Address(name: "Demo MSP Dispatch", email: "dispatch@demo-msp.example"))
                options.mailTransport = mail
            }
            runtime = try await app.configureLiftoff(options)
        } else {
            try await app.openStore(location)
            // Most tests are about what Liftoff writes; the preview tests start with writing off.
            if let writing { try await app.setWriting(writing, by: "test", at: clock.now) }
        }
        let client = AutotaskClient(configuration: configuration, logger: app.logger)
        let job = CalendarReflowJob(client: client, database: app.db, logger: app.logger, clock: clock.clock)
        return ServerHarness(
            app: app, sandbox: sandbox, client: client, job: job, port: port, postgresDatabase: postgresDatabase,
            runtime: runtime, clock: clock)
    }

    static let password = "correct horse battery"

    /// Runs `body` with a harness and stops it afterwards, also when `body` throws.
    static func run(
        _ kind: String, sandboxConfiguration: SandboxConfiguration = SandboxConfiguration(),
        clientTimeout: Duration = .seconds(5),
        sqliteFile: String? = nil, web: Bool = false, writing: WritingMode? = .on,
        trustedProxies: TrustedProxies = .none, mail: (any MailTransport)? = nil,
        _ body: (ServerHarness) async throws -> Void
    ) async throws {
        let harness = try await start(
            kind, sandboxConfiguration: sandboxConfiguration, clientTimeout: clientTimeout, sqliteFile: sqliteFile,
            web: web, writing: writing, trustedProxies: trustedProxies, mail: mail)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// Stops everything; safe to call more than once (a failing test may stop early).
    func stop() async {
        guard stopped.claim() else { return }
        await runtime?.stop()
        await sandbox.shutdown()
        try? await app.asyncShutdown()
        if let name = postgresDatabase, let admin = ProcessInfo.processInfo.environment["LIFTOFF_TEST_POSTGRES_URL"] {
            try? await Self.admin(admin, "DROP DATABASE IF EXISTS \(name)")
        }
    }

    static func url(_ admin: String, database: String) -> String {
        guard var components = URLComponents(string: admin) else { return admin }
        components.path = "/" + database
        return components.string ?? admin
    }

    /// Runs one statement on the admin database.
    static func admin(_ url: String, _ sql: String) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.databases.use(try .postgres(url: url), as: .psql)
        do {
            try await (app.db as! any SQLDatabase).raw(SQLQueryString(sql)).run()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// The site's settings, as plan-format.md's `settings` JSON.
    func setSiteSettings(_ json: String) async throws {
        try await SettingsStore.set(SettingsStore.siteKey, json, on: database)
    }

    /// The plan the Store makes now (what reflow would write).
    func plan() async throws -> PlanAnswer {
        Planner.plan(try await ProblemBuilder(database: database, now: clock.now).build().problem)
    }

    /// The test's time now.
    var now: Date { clock.now }

    /// Service calls in the sandbox, as JSON objects.
    func serviceCalls() async -> [JSONObject] {
        await sandbox.records()["ServiceCalls"] ?? []
    }
}

extension JSONObject {
    func int(_ key: String) -> Int? {
        if case .integer(let value)? = self[key] { return Int(value) }
        return nil
    }

    func string(_ key: String) -> String? {
        if case .string(let value)? = self[key] { return value }
        return nil
    }

    func date(_ key: String) -> Date? {
        string(key).flatMap { RFC3339.parse($0) }.map {
            Date(timeIntervalSince1970: Double($0.millisecondsSinceEpoch) / 1000)
        }
    }
}

/// Set once, by the first caller.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func claim() -> Bool {
        lock.withLock {
            defer { done = true }
            return !done
        }
    }
}
