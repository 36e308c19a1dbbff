import ArgumentParser
import AutotaskAPI
import AutotaskSandbox
import Foundation
import LiftoffServer
import Logging
import Vapor
import WallClock

/// `liftoff serve`: the Workboard, calendar, settings and API, with Calendar Reflow on a schedule.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve Liftoff — Workboard, calendar, settings and the JSON API — and run Calendar Reflow on a schedule."
    )

    @ArgumentParser.OptionGroup var connection: ConnectionOptions

    @ArgumentParser.Option(help: "Port to listen on.")
    var port = 8080

    @ArgumentParser.Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @ArgumentParser.Flag(help: "Connect to a built-in Autotask sandbox with the demo MSP instead of Autotask.")
    var sandbox = false

    @ArgumentParser.Flag(
        help:
            "Mark the session cookie Secure (LIFTOFF_SECURE_COOKIES=1); use it whenever Liftoff is reached over HTTPS.")
    var secureCookies = false

    @ArgumentParser.OptionGroup var startInstant: StartInstantOption

    @ArgumentParser.OptionGroup var writing: WritingOption

    @ArgumentParser.OptionGroup var proxies: TrustedProxiesOption

    @ArgumentParser.Option(
        help: "Key file that encrypts stored secrets, unless LIFTOFF_SECRET_KEY is set (LIFTOFF_KEY_FILE).")
    var keyFile: String?

    /// Next to a SQLite Store, so the key travels with the data it opens; `liftoff.key` in the working
    /// directory for PostgreSQL (several instances share it, or use LIFTOFF_SECRET_KEY).
    static func defaultKeyFile(for database: DatabaseLocation) -> String {
        if case .sqliteFile(let path) = database { return path + ".key" }
        return "liftoff.key"
    }

    func run() async throws {
        let interrupt = InterruptSignal()
        var settings = try connection.resolve()
        let clock = try startInstant.clock()
        let writingMode = try writing.mode()
        let trustedProxies = try proxies.proxies()
        let environment = ProcessInfo.processInfo.environment
        var builtIn: SandboxServer?
        if sandbox {
            let server = SandboxServer(records: DemoMSP.records(now: clock.now()), clock: clock)
            let sandboxPort = try await server.start(host: "127.0.0.1", port: 0)
            settings.autotask = AutotaskConfiguration(
                integrationCode: server.configuration.integrationCode, userName: server.configuration.userName,
                secret: server.configuration.secret, discoveryURL: SandboxServer.discoveryURL(port: sandboxPort))
            builtIn = server
        }
        let app = try await Application.make(Environment(name: "serve", arguments: ["serve"]))
        app.http.server.configuration.hostname = host
        app.http.server.configuration.port = port
        let runtime: LiftoffRuntime
        do {
            runtime = try await app.configureLiftoff(
                LiftoffServerOptions(
                    configuration: settings, apiToken: environment["LIFTOFF_API_TOKEN"],
                    secureCookies: secureCookies || environment["LIFTOFF_SECURE_COOKIES"] == "1",
                    keyFile: keyFile ?? environment["LIFTOFF_KEY_FILE"] ?? Self.defaultKeyFile(for: settings.database),
                    initialAdminPassword: environment["LIFTOFF_ADMIN_PASSWORD"], metrics: MetricsExport.bootstrap(),
                    clock: clock, writing: writingMode, trustedProxies: trustedProxies,
                    reflowLeaseSeconds: try ReflowLeaseSetting.seconds(environment),
                    smtp: try SMTPConfiguration.resolve(environment: environment),
                    publicURL: try PublicURL.resolve(environment: environment)))
        } catch {
            try? await app.asyncShutdown()
            await builtIn?.shutdown()
            throw error
        }
        if settings.autotask == nil {
            app.logger.warning(
                "Autotask is not configured by flags or LIFTOFF_AUTOTASK_*; an admin can connect it in Settings")
        }
        do {
            try await app.server.start(address: nil)
        } catch {
            await runtime.stop()
            try? await app.asyncShutdown()
            await builtIn?.shutdown()
            throw error
        }
        print("Liftoff serving on http://\(host):\(port)/ (login: /login, health: /health, API: /api/v1)")
        await interrupt.wait()
        app.logger.notice("stopping")
        // Live-update streams and scheduled work end first, so the server stops at once.
        await runtime.stop()
        await app.server.shutdown()
        try await app.asyncShutdown()
        await builtIn?.shutdown()
    }
}
