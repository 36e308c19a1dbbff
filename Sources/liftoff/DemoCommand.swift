import ArgumentParser
import AutotaskSandbox
import Foundation
import LiftoffServer
import Vapor
import WallClock

/// `liftoff demo`: the whole product on one machine — the Autotask sandbox with a demo MSP in
/// process, an SQLite Store, a first import and reflow, and the Workboard — with demo logins.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start Liftoff with a demo MSP in a built-in Autotask sandbox, and print the Workboard's URL.",
        discussion: """
            Everything lives in memory and in --state-dir (a new temporary directory unless given); \
            Ctrl-C stops it. Log in with the printed demo accounts.
            """
    )

    @ArgumentParser.Option(help: "Port for the Workboard (the sandbox picks a free one).")
    var port = 8080

    @ArgumentParser.Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @ArgumentParser.Option(help: "Directory for the demo's SQLite Store and key file (default: a new temporary one).")
    var stateDir: String?

    @ArgumentParser.Option(help: "Technicians in the demo MSP (12 by default; more for benchmarks, up to 200).")
    var technicians = 12

    @ArgumentParser.OptionGroup var startInstant: StartInstantOption

    @ArgumentParser.OptionGroup var proxies: TrustedProxiesOption

    static let password = "liftoff-demo"

    func run() async throws {
        let interrupt = InterruptSignal()
        let clock = try startInstant.clock()
        let directory = try stateDir ?? Self.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard DemoMSP.technicianCounts.contains(technicians) else {
            throw ValidationError("--technicians must be from 1 to 500, got \(technicians)")
        }
        // Autotask's 10,000 requests an hour would spread a large team's first calendar over hours
        // (about 56 requests per technician); the demo's sandbox grants a budget to match.
        let sandboxConfiguration = SandboxConfiguration(hourlyThreshold: max(10_000, technicians * 200))
        let sandbox = SandboxServer(
            configuration: sandboxConfiguration,
            records: DemoMSP.records(now: clock.now(), technicianCount: technicians), clock: clock)
        let sandboxPort = try await sandbox.start(host: "127.0.0.1", port: 0)
        let discovery = SandboxServer.discoveryURL(port: sandboxPort)
        let app = try await Application.make(Environment(name: "demo", arguments: ["demo"]))
        // Quiet unless asked (`LOG_LEVEL=notice` shows each reflow's import-to-diff timings).
        app.logger.logLevel =
            ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) }
            ?? .warning
        app.http.server.configuration.hostname = host
        app.http.server.configuration.port = port
        var stopped = false
        do {
            let runtime = try await app.configureLiftoff(
                LiftoffServerOptions(
                    configuration: LiftoffConfiguration(
                        database: .sqliteFile(directory + "/liftoff.sqlite"), autotask: nil),
                    apiToken: ProcessInfo.processInfo.environment["LIFTOFF_API_TOKEN"],
                    keyFile: directory + "/liftoff.key", schedule: true, initialAdminPassword: Self.password,
                    metrics: MetricsExport.bootstrap(), clock: clock,
                    // The demo's Autotask is a sandbox: nothing to review before writing to it.
                    writing: .on, trustedProxies: try proxies.proxies(),
                    smtp: try SMTPConfiguration.resolve(environment: ProcessInfo.processInfo.environment),
                    publicURL: try PublicURL.resolve(environment: ProcessInfo.processInfo.environment)))
            try await runtime.saveConnection(
                integrationCode: sandbox.configuration.integrationCode, userName: sandbox.configuration.userName,
                secret: sandbox.configuration.secret, discoveryURL: discovery)
            // A real MSP that takes bookings keeps free time between work blocks; the demo shows it.
            try await runtime.saveSiteSettings(json: #"{"minMinutesFreeBetweenActivities":\#(Self.gapMinutes)}"#)
            Self.say(
                "Importing the demo MSP and writing its calendar to the sandbox (about \(technicians * 56) API calls)…")
            let started = ContinuousClock.now
            let summary = try await runtime.reflowNow(trigger: "demo", fullImport: true)
            // Saving the connection starts a first run; this one waits for it and then has little to
            // do, so the calendar's size says more than this run's own count.
            let owned = try await runtime.ownedServiceCallCount()
            Self.say(
                "Reflow \(summary.outcome) in \(ContinuousClock.now - started): the calendar holds \(owned) service calls "
                    + "in the sandbox (\(summary.created) written by the last run, \(summary.apiRequests) API requests)."
            )
            guard let technician = try await runtime.technicians().first else {
                throw ValidationError("the demo import found no technicians")
            }
            try await runtime.addUser(
                username: "dispatcher", displayName: "Dana Dispatcher", password: Self.password, role: .dispatcher,
                resourceID: nil)
            try await runtime.addUser(
                username: "tech", displayName: technician.name, password: Self.password, role: .technician,
                resourceID: technician.id)
            // Two appointment types, so a booking link can be made from any Workboard card at once.
            try await runtime.addAppointmentType(
                json: #"{"name": "Remote session", "lengthMinutes": 30, "bufferAfterMinutes": 10, "#
                    + #""minimumNotice": {"unit": "businessHours", "amount": 2}}"#)
            try await runtime.addAppointmentType(
                json:
                    #"{"name": "Onsite visit", "lengthMinutes": 120, "location": "onsite", "startIncrementMinutes": 60, "#
                    + #""bufferBeforeMinutes": 30, "bufferAfterMinutes": 30, "maximumPerDay": 1, "#
                    + #""minimumNotice": {"unit": "businessDays", "amount": 1}}"#)
            if interrupt.hasFired {
                Self.say("Interrupted while starting; stopping.")
            } else {
                try await app.server.start(address: nil)
                let bound = app.http.server.shared.localAddress?.port ?? port
                Self.say(
                    """
                    Liftoff demo: http://\(host):\(bound)/
                    Autotask sandbox: \(discovery.absoluteString) (integration code \(sandbox.configuration.integrationCode), user \(sandbox.configuration.userName), secret \(sandbox.configuration.secret))
                    Logins (password \(Self.password)): admin (admin), dispatcher (dispatcher), tech (technician: \(technician.name), id \(technician.id))
                    """)
                await interrupt.wait()
                Self.say("Stopping…")
            }
            // Live-update streams and scheduled work end first, so the server stops at once.
            await runtime.stop()
            await app.server.shutdown()
            try await app.asyncShutdown()
            stopped = true
            await sandbox.shutdown()
        } catch {
            if !stopped {
                try? await app.asyncShutdown()
                await sandbox.shutdown()
            }
            throw error
        }
        if stateDir == nil { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Min Minutes Free Between Activities in the demo: an hour, so bookable gaps show on the calendar.
    static let gapMinutes = 60

    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "liftoff-demo-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
