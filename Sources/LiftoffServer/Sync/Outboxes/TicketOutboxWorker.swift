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
/// for a ticket supersedes the one still waiting (``ActivityWorkflow``), and a change is sent only by
/// whoever **claims** it in the Store: one atomic statement marks it `sending` (until the database's
/// now + ``claimDuration``) and succeeds only while no other change of the same ticket is being sent,
/// by any instance. So a newer status waits until the older one's PATCH is answered, however many
/// instances drain at once. A claim left by a process that died expires and is taken up again.
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

    /// How long a claim to send one change lasts: longer than a PATCH with all its retries.
    static let claimDuration: Int64 = 120_000

    private func drainAlone() async throws -> Outcome {
        var outcome = Outcome()
        // In preview nothing reaches Autotask: the statuses wait here until writing is switched on.
        guard try await WritingSwitch.mode(on: database) == .on else {
            outcome.pending = try await TicketUpdateRecord.query(on: database).filter(\.$state == "pending").count()
            return outcome
        }
        try await recoverExpiredClaims()
        // Passes until nothing more can be claimed: a change that waited for another instance's send
        // of the same ticket is taken in the next pass.
        var sentInPass = true
        while sentInPass {
            sentInPass = false
            let updates = try await TicketUpdateRecord.query(on: database).filter(\.$state == "pending")
                .sort(\.$createdAt).all()
            for update in updates {
                // A reflow that lost its lease is cancelled: no write after that (ReflowLease).
                try Task.checkCancellation()
                guard try await claim(update) else { continue }
                sentInPass = true
                if let stop = try await send(update, outcome: &outcome) { return stop }
            }
        }
        return outcome
    }

    /// Marks `update` as being sent by this process, if it is still pending and no other change of
    /// its ticket is being sent (by anyone, claim not expired).
    private func claim(_ update: TicketUpdateRecord) async throws -> Bool {
        let sql = try StoreRows.sql(database)
        let now = ReflowLease.databaseNow(sql)
        let id = try update.requireID()
        let rows = try await sql.raw(
            """
            UPDATE ticket_updates SET state = 'sending', claim_expires_ms = \(unsafeRaw: now) + \(bind: Self.claimDuration)
            WHERE id = \(bind: id) AND state = 'pending'
            AND NOT EXISTS (SELECT 1 FROM ticket_updates other WHERE other.ticket_id = \(bind: update.ticketID)
                AND other.state = 'sending' AND other.claim_expires_ms >= \(unsafeRaw: now))
            RETURNING id
            """
        ).all()
        return rows.count == 1
    }

    /// Claims whose process died: superseded when a newer change of the ticket waits, else pending again.
    private func recoverExpiredClaims() async throws {
        let sql = try StoreRows.sql(database)
        let now = ReflowLease.databaseNow(sql)
        try await sql.raw(
            """
            UPDATE ticket_updates SET state = 'superseded' WHERE state = 'sending' AND claim_expires_ms < \(unsafeRaw: now)
            AND EXISTS (SELECT 1 FROM ticket_updates newer WHERE newer.ticket_id = ticket_updates.ticket_id
                AND newer.state = 'pending')
            """
        ).run()
        try await sql.raw(
            "UPDATE ticket_updates SET state = 'pending' WHERE state = 'sending' AND claim_expires_ms < \(unsafeRaw: now)"
        ).run()
    }

    /// Sends one claimed change and records the outcome; the outcome to return when the drain must stop.
    private func send(_ update: TicketUpdateRecord, outcome: inout Outcome) async throws -> Outcome? {
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
            update.state = "pending"
            try await update.save(on: database)
            logger.warning("ticket status change waits", metadata: ["error": "\(error)"])
            // The same cause (an outage, the budget) would stop the rest too; try again later.
            outcome.pending = try await TicketUpdateRecord.query(on: database).filter(\.$state == "pending")
                .count()
            return outcome
        }
        try await update.save(on: database)
        return nil
    }
}

/// The claim column of the ticket outbox (``TicketOutboxWorker``).
struct AddTicketUpdateClaims: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await StoreRows.sql(database).raw("ALTER TABLE ticket_updates ADD COLUMN claim_expires_ms BIGINT").run()
    }

    func revert(on database: Database) async throws {
        try await StoreRows.sql(database).raw("ALTER TABLE ticket_updates DROP COLUMN claim_expires_ms").run()
    }
}
