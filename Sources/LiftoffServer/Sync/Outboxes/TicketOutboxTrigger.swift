import AutotaskAPI
import Fluent
import Foundation
import Logging
import WallClock

/// Where a Workboard action's ticket status leaves for Autotask: every action (and settings change)
/// pulls this trigger, which drains the ticket outbox now — one drain at a time, and once more when
/// something arrived during a drain (``CoalescingRunner``), so no change waits for the next reflow.
struct TicketOutboxTrigger: Sendable {
    private let runner: CoalescingRunner

    init(client: AutotaskClient, database: Database, logger: Logger, clock: LiftoffClock) {
        let worker = TicketOutboxWorker(client: client, database: database, logger: logger, clock: clock)
        runner = CoalescingRunner {
            do {
                _ = try await worker.drain()
            } catch {
                logger.warning("ticket outbox", metadata: ["error": "\(error)"])
            }
        }
    }

    func pull() async {
        await runner.pull()
    }

    /// Waits for the drain under way to end (cancelled) and takes no more.
    func stop() async {
        await runner.stop()
    }
}
