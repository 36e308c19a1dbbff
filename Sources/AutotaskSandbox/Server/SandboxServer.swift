import Foundation
import LiftoffCore
import Vapor
import WallClock

/// A running Autotask sandbox: an HTTP server on loopback (or any host) over a ``SandboxStore``.
///
/// ```swift
/// let sandbox = SandboxServer(records: DemoMSP.records(now: clock.now()), clock: clock)
/// let port = try await sandbox.start(port: 0)          // 0: any free port
/// // point AutotaskConfiguration.discoveryURL at "http://127.0.0.1:\(port)/atservicesrest/"
/// await sandbox.shutdown()
/// ```
public final class SandboxServer: Sendable {
    public let configuration: SandboxConfiguration
    let store: SandboxStore
    let limits: SandboxLimits
    private let clock: LiftoffClock
    private let application = ApplicationBox()

    public init(
        configuration: SandboxConfiguration = SandboxConfiguration(), records: [String: [JSONObject]] = [:],
        clock: LiftoffClock = .system
    ) {
        self.configuration = configuration
        self.store = SandboxStore(records: records, clock: clock)
        self.limits = SandboxLimits(configuration: configuration)
        self.clock = clock
    }

    /// Starts serving on `host:port` and returns the port bound (useful with port 0).
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 8089, logLevel: Logger.Level = .warning) async throws
        -> Int
    {
        var environment = Environment(name: "sandbox", arguments: ["sandbox"])
        environment.arguments = ["sandbox"]
        let app = try await Application.make(environment)
        app.logger.logLevel = logLevel
        app.http.server.configuration.hostname = host
        app.http.server.configuration.port = port
        app.http.server.configuration.reuseAddress = true
        app.middleware = Middlewares()
        app.middleware.use(SandboxResponder(server: self))
        try await app.server.start(address: nil)
        application.set(app)
        return app.http.server.shared.localAddress?.port ?? port
    }

    /// Stops the server and releases its resources.
    public func shutdown() async {
        guard let app = application.take() else { return }
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    /// The discovery URL a client should use, given the port the sandbox listens on.
    public static func discoveryURL(host: String = "127.0.0.1", port: Int) -> URL {
        URL(string: "http://\(host):\(port)/atservicesrest/")!
    }

    /// Makes the next request matching `method` and `entity` (any when nil) fail with `fault`.
    public func inject(_ fault: SandboxFault, method: String? = nil, entity: String? = nil) async {
        await limits.inject(fault, method: method, entity: entity)
    }

    /// Replaces the random faults.
    public func setFaults(_ faults: SandboxFaults) async {
        await limits.setFaults(faults)
    }

    /// Changes the hourly threshold, e.g. to test budget exhaustion without 10,000 requests.
    public func setHourlyThreshold(_ threshold: Int) async {
        await limits.setHourlyThreshold(threshold)
    }

    /// Every record by entity name.
    public func records() async -> [String: [JSONObject]] {
        await store.snapshot()
    }

    /// Replaces every record.
    public func load(_ records: [String: [JSONObject]]) async {
        await store.load(records)
    }

    /// Writes every record to `url` after each change, as the state file of `liftoff sandbox --state`.
    public func persist(to url: URL) async {
        await store.setOnChange { records in
            try? SandboxStateFile.data(records).write(to: url, options: .atomic)
        }
    }

    /// Authenticated requests answered so far, the most that ever ran at once on one endpoint, and
    /// the writes applied.
    public func requestStatistics() async -> (total: Int, highestConcurrency: Int, writes: Int) {
        (await limits.totalRequests, await limits.highestInFlight, await limits.writes)
    }

    func now() -> Date { clock.now() }
}

/// The running application, set once started and taken once at shutdown.
private final class ApplicationBox: @unchecked Sendable {
    private let lock = NSLock()
    private var application: Application?

    func set(_ app: Application) {
        lock.withLock { application = app }
    }

    func take() -> Application? {
        lock.withLock {
            defer { application = nil }
            return application
        }
    }
}

/// Reads and writes the sandbox's state file: `{"entities": {"Tickets": [...], ...}}`.
public enum SandboxStateFile {
    public static func data(_ records: [String: [JSONObject]]) -> Data {
        var entities = JSONObject()
        for name in records.keys.sorted() { entities[name] = .array(records[name]!.map(JSONValue.object)) }
        return Data(JSONValue.object(["entities": .object(entities)]).serialized)
    }

    /// The records a state file holds, or a message saying what is wrong with it.
    public static func records(from data: Data) throws -> [String: [JSONObject]] {
        let root: JSONValue
        do {
            root = try JSONParser.parse(Array(data))
        } catch {
            throw SandboxInputError(message: "the state file is not JSON: \(error)")
        }
        guard case .object(let object) = root, case .object(let entities)? = object["entities"] else {
            throw SandboxInputError(message: "the state file must be an object with \"entities\"")
        }
        var result: [String: [JSONObject]] = [:]
        for member in entities.members {
            guard let schema = SandboxCatalog.entity(named: member.key) else {
                throw SandboxInputError(message: "the state file names an unknown entity \(member.key)")
            }
            guard case .array(let items) = member.value else {
                throw SandboxInputError(message: "\(member.key) must be a list of records")
            }
            result[schema.name] = items.compactMap { if case .object(let record) = $0 { record } else { nil } }
        }
        return result
    }
}
