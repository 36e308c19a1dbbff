import ArgumentParser
import AutotaskAPI
import Foundation
import LiftoffServer
import Logging
import Vapor

/// `liftoff serve`: the API, with Calendar Reflow on a schedule.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Liftoff's API and run Calendar Reflow on a schedule (the Workboard pages come next)."
    )

    @ArgumentParser.OptionGroup var connection: ConnectionOptions

    @ArgumentParser.Option(help: "Port to listen on.")
    var port = 8080

    @ArgumentParser.Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    func run() async throws {
        let settings = try connection.resolve()
        let app = try await Application.make(Environment(name: "serve", arguments: ["serve"]))
        app.http.server.configuration.hostname = host
        app.http.server.configuration.port = port
        try await app.openStore(settings.database)
        var coordinator: ReflowCoordinator?
        var scheduler: Task<Void, Never>?
        if let autotask = settings.autotask {
            let client = AutotaskClient(configuration: autotask, logger: app.logger)
            let reflow = ReflowCoordinator(
                job: CalendarReflowJob(client: client, database: app.db, logger: app.logger), logger: app.logger)
            coordinator = reflow
            scheduler = Task { await reflow.schedule(every: settings.reflowIntervalMinutes) }
        } else {
            app.logger.warning("Autotask is not configured; serving without sync (set LIFTOFF_AUTOTASK_*)")
        }
        try app.register(
            collection: APIRoutes(coordinator: coordinator, apiToken: Environment.get("LIFTOFF_API_TOKEN")))
        print("Liftoff serving on http://\(host):\(port)/ (health: /health, API: /api/v1)")
        try await app.execute()
        scheduler?.cancel()
        try await app.asyncShutdown()
    }
}
