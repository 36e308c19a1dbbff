import AutotaskAPI
import Fluent
import Foundation
import SQLKit
import Testing

@testable import LiftoffServer

/// The ticket outbox across instances: a change is sent only by whoever claims it, and never while
/// another change of the same ticket is being sent elsewhere, so statuses land in the order given.
@Suite struct TicketOutboxClaimTests {
    func queue(_ harness: ServerHarness, ticket: Int, status: Int, state: String = "pending") async throws
        -> TicketUpdateRecord
    {
        let update = TicketUpdateRecord()
        (update.ticketID, update.status, update.state, update.attempts) = (ticket, status, state, 0)
        (update.reason, update.createdAt) = ("test", harness.now)
        try await update.save(on: harness.database)
        return update
    }

    func status(_ harness: ServerHarness, _ ticket: Int) async throws -> Int? {
        try await harness.client.query(Ticket.self, filter: [.eq("id", .integer(ticket))]).first?.status
    }

    /// Another instance's claim, `seconds` from the database's now (negative: already expired).
    func claimElsewhere(_ harness: ServerHarness, _ update: TicketUpdateRecord, seconds: Int64) async throws {
        let sql = harness.database as! any SQLDatabase
        let now = ReflowLease.databaseNow(sql)
        try await sql.raw(
            """
            UPDATE ticket_updates SET state = 'sending', claim_expires_ms = \(unsafeRaw: now) + \(bind: seconds * 1000)
            WHERE id = \(bind: try update.requireID())
            """
        ).run()
    }

    func state(_ harness: ServerHarness, _ update: TicketUpdateRecord) async throws -> String? {
        try await TicketUpdateRecord.find(update.id, on: harness.database)?.state
    }

    @Test(arguments: TestDatabases.all)
    func aNewerStatusWaitsWhileAnOlderOneIsBeingSentElsewhere(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let ticket = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$isOpen == true).first()
            ).ticketID
            let before = try await status(harness, ticket)
            let older = try await queue(harness, ticket: ticket, status: 8)
            try await claimElsewhere(harness, older, seconds: 60)
            let newer = try await queue(harness, ticket: ticket, status: 5)
            let worker = TicketOutboxWorker(
                client: harness.client, database: harness.database, logger: harness.app.logger,
                clock: harness.clock.clock)

            _ = try await worker.drain()
            #expect(try await state(harness, newer) == "pending", "it waits for the send under way")
            #expect(try await status(harness, ticket) == before, "nothing was sent past the older change")

            // The other instance's PATCH is answered: now the newer one goes.
            let done = try #require(try await TicketUpdateRecord.find(older.id, on: harness.database))
            done.state = "done"
            try await done.save(on: harness.database)
            let outcome = try await worker.drain()
            #expect(outcome.done == 1)
            #expect(try await state(harness, newer) == "done")
            #expect(try await status(harness, ticket) == 5)
        }
    }

    @Test(arguments: TestDatabases.all)
    func aClaimLeftByADeadProcessIsTakenUpAgain(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let tickets = try await TicketRecord.query(on: harness.database).filter(\.$isOpen == true).limit(2).all()
                .map(\.ticketID)
            try #require(tickets.count == 2)
            // Alone: sent again. With a newer change waiting: superseded by it.
            let orphan = try await queue(harness, ticket: tickets[0], status: 7)
            try await claimElsewhere(harness, orphan, seconds: -1)
            let overtaken = try await queue(harness, ticket: tickets[1], status: 8)
            try await claimElsewhere(harness, overtaken, seconds: -1)
            let newest = try await queue(harness, ticket: tickets[1], status: 5)
            let worker = TicketOutboxWorker(
                client: harness.client, database: harness.database, logger: harness.app.logger,
                clock: harness.clock.clock)
            let outcome = try await worker.drain()
            #expect(outcome.done == 2)
            #expect(try await state(harness, orphan) == "done")
            #expect(try await state(harness, overtaken) == "superseded")
            #expect(try await state(harness, newest) == "done")
            #expect(try await status(harness, tickets[0]) == 7)
            #expect(try await status(harness, tickets[1]) == 5)
        }
    }
}
