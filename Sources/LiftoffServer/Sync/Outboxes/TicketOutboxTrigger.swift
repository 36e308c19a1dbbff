import AutotaskAPI
import Fluent
import Foundation
import Logging
import WallClock

/// Where a Workboard action's ticket status leaves for Autotask: every action (and settings change)
/// pulls this trigger, which drains the ticket outbox now — one drain at a time, and once more when
/// something arrived during a drain, so no change waits for the next reflow.
actor TicketOutboxTrigger {
    private let worker: TicketOutboxWorker
    private let logger: Logger
    private var draining: Task<Void, Never>?
    private var drainAgain = false
    private var stopped = false

    init(client: AutotaskClient, database: Database, logger: Logger, clock: LiftoffClock) {
        worker = TicketOutboxWorker(client: client, database: database, logger: logger, clock: clock)
        self.logger = logger
    }

    func pull() {
        guard !stopped else { return }
        guard draining == nil else {
            drainAgain = true
            return
        }
        draining = Task {
            do {
                _ = try await worker.drain()
            } catch {
                logger.warning("ticket outbox", metadata: ["error": "\(error)"])
            }
            drained()
        }
    }

    private func drained() {
        draining = nil
        if drainAgain {
            drainAgain = false
            pull()
        }
    }

    /// Waits for the drain under way to end (cancelled) and takes no more.
    func stop() async {
        stopped = true
        if let draining {
            draining.cancel()
            await draining.value
        }
        draining = nil
    }
}
