import AutotaskAPI
import Foundation

/// Everything a command that talks to Autotask and the Store needs, from flags or `LIFTOFF_*`
/// environment variables (flags win). One place, so `serve`, `reflow` and `import` agree.
public struct LiftoffConfiguration: Sendable {
    public var database: DatabaseLocation
    public var autotask: AutotaskConfiguration?
    /// Minutes between scheduled Calendar Reflow runs (5…1440).
    public var reflowIntervalMinutes: Int

    public init(database: DatabaseLocation, autotask: AutotaskConfiguration?, reflowIntervalMinutes: Int = 60) {
        self.database = database
        self.autotask = autotask
        self.reflowIntervalMinutes = reflowIntervalMinutes
    }

    /// Reads the configuration; `flags` holds explicit values (nil = not given).
    ///
    /// | Setting | Flag | Environment |
    /// |---|---|---|
    /// | Database | `--database-url` | `LIFTOFF_DATABASE_URL` (`postgres://…`, `sqlite:PATH`, or a path; default `liftoff.sqlite`) |
    /// | Integration code | `--integration-code` | `LIFTOFF_AUTOTASK_INTEGRATION_CODE` |
    /// | API user | `--autotask-user` | `LIFTOFF_AUTOTASK_USER` |
    /// | Secret | `--autotask-secret` | `LIFTOFF_AUTOTASK_SECRET` |
    /// | Zone discovery | `--autotask-discovery-url` | `LIFTOFF_AUTOTASK_DISCOVERY_URL` (default Autotask's) |
    /// | Reflow interval | `--reflow-every` | `LIFTOFF_REFLOW_MINUTES` (default 60) |
    public static func resolve(
        databaseURL: String? = nil, integrationCode: String? = nil, user: String? = nil, secret: String? = nil,
        discoveryURL: String? = nil, reflowMinutes: Int? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> LiftoffConfiguration {
        let database = try DatabaseLocation(databaseURL ?? environment["LIFTOFF_DATABASE_URL"] ?? "liftoff.sqlite")
        let code = integrationCode ?? environment["LIFTOFF_AUTOTASK_INTEGRATION_CODE"]
        let name = user ?? environment["LIFTOFF_AUTOTASK_USER"]
        let password = secret ?? environment["LIFTOFF_AUTOTASK_SECRET"]
        var autotask: AutotaskConfiguration?
        let given = [code, name, password].compactMap { $0 }
        if given.count == 3, let code, let name, let password {
            var configuration = AutotaskConfiguration(integrationCode: code, userName: name, secret: password)
            if let text = discoveryURL ?? environment["LIFTOFF_AUTOTASK_DISCOVERY_URL"] {
                guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
                    throw ConfigurationError(message: "the zone-discovery URL \(text) is not an http(s) URL")
                }
                configuration.discoveryURL = url
            }
            autotask = configuration
        } else if !given.isEmpty {
            throw ConfigurationError(
                message: "Autotask needs all three of the integration code, the API user and the secret "
                    + "(--integration-code/--autotask-user/--autotask-secret or LIFTOFF_AUTOTASK_*); only \(given.count) given"
            )
        }
        let interval = reflowMinutes ?? environment["LIFTOFF_REFLOW_MINUTES"].flatMap(Int.init) ?? 60
        guard (5...1440).contains(interval) else {
            throw ConfigurationError(message: "the reflow interval must be 5 to 1440 minutes, got \(interval)")
        }
        return LiftoffConfiguration(database: database, autotask: autotask, reflowIntervalMinutes: interval)
    }
}

/// Where the Store lives.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(String)

    /// The URL when the Store is PostgreSQL.
    var postgresURL: String? {
        if case .postgres(let url) = self { url } else { nil }
    }

    public init(_ text: String) throws(ConfigurationError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(text)
        } else if text == "sqlite::memory:" || text == ":memory:" {
            self = .sqliteMemory
        } else if text.hasPrefix("sqlite:") {
            self = .sqliteFile(String(text.dropFirst("sqlite:".count)))
        } else if text.contains("://") {
            throw ConfigurationError(
                message: "unsupported database URL \(text): use postgres://… or a SQLite file path")
        } else {
            self = .sqliteFile(text)
        }
    }
}

/// A configuration value that cannot be used, and why.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
