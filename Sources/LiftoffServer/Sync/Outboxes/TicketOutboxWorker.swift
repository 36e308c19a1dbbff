import AutotaskAPI
import Fluent
import Foundation
import Logging
import WallClock

/// Writes queued ticket status changes to Autotask, oldest first. A status PATCH sets one value, so
/// repeating it after a crash or an unknown outcome does no harm; a change Autotask refuses (a
/// status the tenant no longer has) fails for good and says why.
///
/// Order matters (Start's *In Progress* must never land after Complete's *Complete*): a new change
/// for a ticket supersedes the one still waiting (``ActivityWorkflow``), one drain at a time runs in
/// a process, and each row is read again just before it is sent, so a superseded one is skipped.
struct TicketOutboxWorker {
    let client: AutotaskClient
    let database: Database
    let logger: Logger
    /// Stamps the audit trail with the server's time.
    let clock: LiftoffClock

    struct Outcome: Equatable {
        var done = 0
        var failed = 0
        var pending = 0
    }

    /// One drain at a time in this process, whoever asks (an action, a reflow).
    static let gate = AsyncGate()

    func drain() async throws -> Outcome {
        try await Self.gate.exclusively { try await drainAlone() }
    }

    private func drainAlone() async throws -> Outcome {
        var outcome = Outcome()
        // In preview nothing reaches Autotask: the statuses wait here until writing is switched on.
        guard try await WritingSwitch.mode(on: database) == .on else {
            outcome.pending = try await TicketUpdateRecord.query(on: database).filter(\.$state == "pending").count()
            return outcome
        }
        let updates = try await TicketUpdateRecord.query(on: database).filter(\.$state == "pending")
            .sort(\.$createdAt).all()
        for update in updates {
            // A reflow that lost its lease is cancelled: no write after that (ReflowLease).
            try Task.checkCancellation()
            // Superseded or done since the list was read (another instance, a newer action)?
            guard try await TicketUpdateRecord.find(update.id, on: database)?.state == "pending" else { continue }
            update.attempts += 1
            let written: Result<Int, AutotaskError>
            do {
                written = .success(
                    try await client.update(
                        Ticket.self, id: update.ticketID, fields: ["status": .integer(update.status)],
                        priority: .urgent))
            } catch {
                written = .failure(error)
            }
            switch written {
            case .success:
                update.state = "done"
                update.lastError = nil
                outcome.done += 1
                let audit = AuditRecord()
                audit.at = clock.now()
                audit.action = "update"
                audit.entity = "Ticket"
                audit.entityID = update.ticketID
                audit.detail = "status \(update.status): \(update.reason)"
                try await audit.save(on: database)
            case .failure(.validation(let messages, _)):
                update.state = "failed"
                update.lastError = messages.joined(separator: "; ")
                outcome.failed += 1
                logger.error(
                    "Autotask refused a ticket status change",
                    metadata: ["ticket": "\(update.ticketID)", "error": "\(messages)"])
            case .failure(.notFound(let message)):
                update.state = "failed"
                update.lastError = message
                outcome.failed += 1
            case .failure(let error):
                update.lastError = error.description
                try await update.save(on: database)
                logger.warning("ticket status change waits", metadata: ["error": "\(error)"])
                // The same cause (an outage, the budget) would stop the rest too; try again later.
                outcome.pending = try await TicketUpdateRecord.query(on: database).filter(\.$state == "pending")
                    .count()
                return outcome
            }
            try await update.save(on: database)
        }
        return outcome
    }
}
