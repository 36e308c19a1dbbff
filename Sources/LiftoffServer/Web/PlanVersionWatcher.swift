import FluentPostgresDriver
import Foundation
import Logging

/// Hands every open Workboard and calendar of this process the Store's ``PlanVersion`` as it
/// changes, read once for all of them rather than once per page.
///
/// On PostgreSQL the change is pushed: ``PlanVersion/bump(on:technician:)`` sends `NOTIFY` on
/// ``channel`` with the new stamp (delivered when its transaction commits) and the watcher holds one
/// connection of its own that `LISTEN`s, so a change made through any instance reaches the pages at
/// once. It still reads the version every ``safetyInterval`` in case a notification was missed
/// while it reconnected, and every second while it cannot listen. SQLite has no such channel:
/// there it reads the version every second.
actor PlanVersionWatcher {
    static let channel = "liftoff_plan_version"
    let database: Database
    let logger: Logger
    /// The Store's PostgreSQL URL when it is one: the listener opens its own connection there.
    let postgresURL: String?
    let safetyInterval: Duration
    private var listeners: [UUID: AsyncStream<String>.Continuation] = [:]
    private var poller: Task<Void, Never>?
    private var listener: Task<Void, Never>?
    /// The latest version known, handed out every second (the event stream's keep-alive counts on a
    /// reading a second) and at once to a new page.
    private var latest: String?
    /// Counts listener tasks, so a cancelled one finishing late never speaks for the current one.
    private var generation = 0
    /// Whether the LISTEN connection is up (the Store is then read only every ``safetyInterval``).
    private(set) var isListening = false

    init(database: Database, logger: Logger, postgresURL: String? = nil, safetyInterval: Duration = .seconds(30)) {
        self.database = database
        self.logger = logger
        self.postgresURL = postgresURL
        self.safetyInterval = safetyInterval
    }

    /// A reading every second (the same value when nothing changed), and each change as it comes,
    /// until the stream is dropped.
    func readings() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1))
        listeners[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        if let latest { continuation.yield(latest) }
        if poller == nil {
            poller = Task { await self.poll() }
            if let postgresURL {
                generation += 1
                let run = generation
                listener = Task { await self.listen(postgresURL, run: run) }
            }
        }
        return stream
    }

    private func remove(_ id: UUID) {
        listeners[id] = nil
        if listeners.isEmpty { stopTasks() }
    }

    private func publish(_ version: String) {
        latest = version
        for listener in listeners.values { listener.yield(version) }
    }

    private func setListening(_ value: Bool, run: Int) {
        if run == generation { isListening = value }
    }

    private func poll() async {
        var sinceRead = Duration.zero
        while !Task.isCancelled {
            if !isListening || sinceRead >= safetyInterval || latest == nil {
                sinceRead = .zero
                do {
                    publish(try await PlanVersion.current(on: database))
                } catch {
                    logger.warning("could not read the plan version", metadata: ["error": "\(error)"])
                }
            } else if let latest {
                publish(latest)
            }
            try? await Task.sleep(for: .seconds(1))
            sinceRead += .seconds(1)
        }
    }

    /// Keeps a LISTEN connection open, reconnecting when it drops (after 2 s, doubling up to a minute
    /// while it keeps failing).
    private func listen(_ url: String, run: Int) async {
        var pause = Duration.seconds(2)
        while !Task.isCancelled {
            var connection: PostgresConnection?
            do {
                let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
                let opened = try await PostgresConnection.connect(configuration: configuration, id: run, logger: logger)
                connection = opened
                try await opened.listen(on: Self.channel) { notifications in
                    setListening(true, run: run)
                    pause = .seconds(2)
                    // Whatever changed while this connection was being made.
                    publish(try await PlanVersion.current(on: database))
                    for try await notification in notifications {
                        publish(notification.payload)
                    }
                }
            } catch {
                if !Task.isCancelled {
                    logger.warning(
                        "plan version: LISTEN failed; reading every second until it is back",
                        metadata: ["error": "\(String(reflecting: error))"])
                }
            }
            setListening(false, run: run)
            try? await connection?.close()
            if Task.isCancelled { break }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(60))
        }
    }

    private func stopTasks() {
        poller?.cancel()
        poller = nil
        listener?.cancel()
        listener = nil
        isListening = false
    }

    /// Ends every stream (on shutdown).
    func stop() {
        stopTasks()
        for listener in listeners.values { listener.finish() }
        listeners = [:]
    }
}
