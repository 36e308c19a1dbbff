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
    /// Whether the LISTEN connection is up (polling slows down to ``safetyInterval`` meanwhile).
    private(set) var isListening = false

    init(database: Database, logger: Logger, postgresURL: String? = nil, safetyInterval: Duration = .seconds(30)) {
        self.database = database
        self.logger = logger
        self.postgresURL = postgresURL
        self.safetyInterval = safetyInterval
    }

    /// Readings until the stream is dropped: each change, and a repeat of the current value now and
    /// then (the same value when nothing changed).
    func readings() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1))
        listeners[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        if poller == nil {
            poller = Task { await self.poll() }
            if let postgresURL { listener = Task { await self.listen(postgresURL) } }
        }
        return stream
    }

    private func remove(_ id: UUID) {
        listeners[id] = nil
        if listeners.isEmpty { stopTasks() }
    }

    private func publish(_ version: String) {
        for listener in listeners.values { listener.yield(version) }
    }

    private func poll() async {
        var sinceRead = Duration.zero
        while !Task.isCancelled {
            if !isListening || sinceRead >= safetyInterval {
                sinceRead = .zero
                do {
                    publish(try await PlanVersion.current(on: database))
                } catch {
                    logger.warning("could not read the plan version", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: .seconds(1))
            sinceRead += .seconds(1)
        }
    }

    /// Keeps a LISTEN connection open, reconnecting after a pause when it drops.
    private func listen(_ url: String) async {
        while !Task.isCancelled {
            do {
                let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 1, logger: logger)
                defer { Task { try? await connection.close() } }
                try await connection.listen(on: Self.channel) { notifications in
                    isListening = true
                    // Whatever changed while this connection was being made.
                    publish(try await PlanVersion.current(on: database))
                    for try await notification in notifications {
                        publish(notification.payload)
                    }
                }
            } catch is CancellationError {
                break
            } catch {
                if Task.isCancelled { break }
                logger.warning(
                    "plan version: LISTEN failed; reading every second until it is back",
                    metadata: ["error": "\(String(reflecting: error))"])
            }
            isListening = false
            try? await Task.sleep(for: .seconds(2))
        }
        isListening = false
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
