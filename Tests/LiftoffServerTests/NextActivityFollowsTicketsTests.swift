import Fluent
import Foundation
import LiftoffCore
import Testing

@testable import AutotaskSandbox
@testable import LiftoffServer

/// Next Activities follow their tickets: a reopened ticket, or one handed back to a technician whose
/// activity ended, is planned again; a completed activity on a ticket that stayed open stands.
@Suite(.serialized) struct NextActivityFollowsTicketsTests {
    /// Changes one ticket in the sandbox, optionally hiding the change from the incremental read
    /// (its `lastActivityDate` left in the past, as a reassignment that Autotask's change feed missed).
    static func change(
        _ harness: ServerHarness, ticket id: Int, touch: Bool = true, _ edit: (inout JSONObject) -> Void
    ) async {
        var records = await harness.sandbox.records()
        records["Tickets"] = records["Tickets"]!.map { ticket in
            guard ticket.int("id") == id else { return ticket }
            var ticket = ticket
            edit(&ticket)
            if touch { ticket["lastActivityDate"] = .string(AutotaskDateText.instant(harness.now)) }
            return ticket
        }
        await harness.sandbox.load(records)
    }

    static func activities(_ harness: ServerHarness, ticket: Int) async throws -> [NextActivityRecord] {
        try await NextActivityRecord.query(on: harness.database).filter(\.$ticketID == ticket).sort(\.$createdAt)
            .all()
    }

    /// After an incremental import the rule looks only at the tickets it read (an hourly reflow does
    /// not read every ticket and activity); a full import looks at all of them.
    @Test(arguments: TestDatabases.all)
    func afterAnIncrementalImportTheRuleLooksOnlyAtTheTicketsItRead(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let open = try await NextActivityRecord.query(on: harness.database).filter(\.$state == "open")
                .filter(\.$origin == "rule").sort(\.$activityID).all()
            let first = try #require(open.first)
            let second = try #require(open.first { $0.ticketID != first.ticketID })
            // Both lose their activity in the Store; only the first ticket changes in Autotask.
            for activity in [first, second] { try await activity.delete(on: harness.database) }
            harness.clock.advance(by: 600)
            await Self.change(harness, ticket: first.ticketID) { $0["title"] = "Printer jams again" }
            _ = try await harness.job.run(trigger: "test")
            #expect(try await Self.activities(harness, ticket: first.ticketID).count == 1)
            #expect(try await Self.activities(harness, ticket: second.ticketID).isEmpty)
            let scoped = try await NextActivityRule(
                database: harness.database, now: harness.now, onlyTickets: [first.ticketID]
            ).apply()
            #expect(scoped.created == 0)
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            #expect(try await Self.activities(harness, ticket: second.ticketID).count == 1)
        }
    }

    @Test(arguments: TestDatabases.all)
    func aReopenedTicketGetsANewNextActivity(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let first = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$state == "open").first())
            harness.clock.advance(by: 600)
            await Self.change(harness, ticket: first.ticketID) {
                $0["status"] = 5
                $0["completedDate"] = .string(AutotaskDateText.instant(harness.now))
            }
            _ = try await harness.job.run(trigger: "test")
            #expect(try await Self.activities(harness, ticket: first.ticketID).map(\.state) == ["completed"])

            harness.clock.advance(by: 600)
            await Self.change(harness, ticket: first.ticketID) {
                $0["status"] = 1
                $0["completedDate"] = nil
            }
            _ = try await harness.job.run(trigger: "test")
            let after = try await Self.activities(harness, ticket: first.ticketID)
            #expect(after.map(\.state) == ["completed", "open"])
            #expect(after.last?.activityID == "NA-\(first.ticketID)-\(first.resourceID)-2")
            #expect(after.last?.resourceID == first.resourceID)

            // Another run changes nothing: one new activity, not one per run.
            harness.clock.advance(by: 600)
            _ = try await harness.job.run(trigger: "test")
            #expect(try await Self.activities(harness, ticket: first.ticketID).count == 2)
        }
    }

    @Test(arguments: TestDatabases.all)
    func aCompletedActivityOnATicketThatStaysOpenStands(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let activity = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$state == "open").first())
            activity.state = "completed"
            activity.endedAt = harness.now
            try await activity.save(on: harness.database)
            harness.clock.advance(by: 600)
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            #expect(try await Self.activities(harness, ticket: activity.ticketID).map(\.state) == ["completed"])
        }
    }

    /// Handed to another technician and back — both changes seen only by the daily full import,
    /// as the incremental read's change feed missed them.
    @Test(arguments: TestDatabases.all)
    func aTicketHandedBackIsPlannedAgainAndTheFullImportCatchesWhatTheIncrementalMissed(_ database: String) async throws
    {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let first = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$state == "open").first())
            let other = try #require(
                try await TechnicianRecord.query(on: harness.database).filter(\.$resourceID != first.resourceID)
                    .filter(\.$isActive == true).first()
            ).resourceID

            harness.clock.advance(by: 600)
            await Self.change(harness, ticket: first.ticketID, touch: false) {
                $0["assignedResourceID"] = .integer(Int64(other))
            }
            _ = try await harness.job.run(trigger: "test")
            #expect(try await Self.activities(harness, ticket: first.ticketID).map(\.state) == ["open"])
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            var states = try await Self.activities(harness, ticket: first.ticketID).map { ($0.resourceID, $0.state) }
            #expect(states.map(\.0) == [first.resourceID, other])
            #expect(states.map(\.1) == ["cancelled", "open"])

            harness.clock.advance(by: 600)
            await Self.change(harness, ticket: first.ticketID, touch: false) {
                $0["assignedResourceID"] = .integer(Int64(first.resourceID))
            }
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let after = try await Self.activities(harness, ticket: first.ticketID)
            states = after.map { ($0.resourceID, $0.state) }
            #expect(states.map(\.0) == [first.resourceID, other, first.resourceID])
            #expect(states.map(\.1) == ["cancelled", "cancelled", "open"])
            #expect(after.last?.activityID == "NA-\(first.ticketID)-\(first.resourceID)-2")
        }
    }
}
