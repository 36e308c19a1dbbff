import ArgumentParser
import AutotaskAPI
import LiftoffServer

/// The options every command that talks to the Store and Autotask shares; each falls back to its
/// `LIFTOFF_*` environment variable (see the README).
struct ConnectionOptions: ParsableArguments {
    @Option(
        help:
            "The Store: postgres://…, sqlite:PATH or a SQLite file path (LIFTOFF_DATABASE_URL; default liftoff.sqlite)."
    )
    var databaseURL: String?

    @Option(help: "Autotask API integration code (LIFTOFF_AUTOTASK_INTEGRATION_CODE).")
    var integrationCode: String?

    @Option(help: "Autotask API user name (LIFTOFF_AUTOTASK_USER).")
    var autotaskUser: String?

    @Option(help: "Autotask API secret (LIFTOFF_AUTOTASK_SECRET).")
    var autotaskSecret: String?

    @Option(
        help:
            "Zone-discovery URL; Autotask's by default, or any Autotask-compatible server such as liftoff sandbox (LIFTOFF_AUTOTASK_DISCOVERY_URL)."
    )
    var autotaskDiscoveryURL: String?

    @Option(help: "Minutes between scheduled Calendar Reflow runs, 5–1440 (LIFTOFF_REFLOW_MINUTES; default 60).")
    var reflowEvery: Int?

    func resolve() throws -> LiftoffConfiguration {
        do {
            return try LiftoffConfiguration.resolve(
                databaseURL: databaseURL, integrationCode: integrationCode, user: autotaskUser, secret: autotaskSecret,
                discoveryURL: autotaskDiscoveryURL, reflowMinutes: reflowEvery)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
