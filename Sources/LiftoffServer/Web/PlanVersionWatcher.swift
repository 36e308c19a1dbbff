import Fluent
import Foundation
import Logging

/// Reads the Store's ``PlanVersion`` once a second for every open Workboard in this process, rather
/// than once a second per Workboard, and hands each reading to every listener.
actor PlanVersionWatcher {
    let database: Database
    let logger: Logger
    private var listeners: [UUID: AsyncStream<String>.Continuation] = [:]
    private var poller: Task<Void, Never>?

    init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// A reading every second (the same value when nothing changed) until the stream is dropped.
    func readings() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1))
        listeners[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        if poller == nil {
            poller = Task { await self.poll() }
        }
        return stream
    }

    private func remove(_ id: UUID) {
        listeners[id] = nil
        if listeners.isEmpty {
            poller?.cancel()
            poller = nil
        }
    }

    private func poll() async {
        while !Task.isCancelled {
            do {
                let version = try await PlanVersion.current(on: database)
                for listener in listeners.values { listener.yield(version) }
            } catch {
                logger.warning("could not read the plan version", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Ends every stream (on shutdown).
    func stop() {
        poller?.cancel()
        poller = nil
        for listener in listeners.values { listener.finish() }
        listeners = [:]
    }
}
