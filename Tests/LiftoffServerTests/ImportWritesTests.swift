import Fluent
import Foundation
import LiftoffCore
import SQLKit
import Testing

@testable import AutotaskSandbox
@testable import LiftoffServer

/// The import writes only what changed: a daily full pass at 500 technicians re-reads about 5,000
/// tickets and 500 resources, and writing each back was most of a 20-second run that changed nothing
/// (BENCHMARKS.md). Rows written are counted by database triggers, so any write — by the importer or
/// by anything else in the run — shows.
@Suite(.serialized) struct ImportWritesTests {
    /// Counts every insert and update of `tickets` and `technicians` in `row_writes`.
    static func countWrites(_ harness: ServerHarness, _ kind: String) async throws {
        let sql = harness.database as! any SQLDatabase
        try await sql.raw("CREATE TABLE row_writes (tbl TEXT NOT NULL, n INTEGER NOT NULL)").run()
        try await sql.raw("INSERT INTO row_writes VALUES ('tickets', 0), ('technicians', 0)").run()
        if kind == "postgres" {
            try await sql.raw(
                """
                CREATE FUNCTION count_row_write() RETURNS trigger AS $$
                BEGIN UPDATE row_writes SET n = n + 1 WHERE tbl = TG_TABLE_NAME; RETURN NULL; END
                $$ LANGUAGE plpgsql
                """
            ).run()
            for table in ["tickets", "technicians"] {
                try await sql.raw(
                    """
                    CREATE TRIGGER \(unsafeRaw: table)_written AFTER INSERT OR UPDATE ON \(unsafeRaw: table)
                    FOR EACH ROW EXECUTE FUNCTION count_row_write()
                    """
                ).run()
            }
        } else {
            for table in ["tickets", "technicians"] {
                for event in ["INSERT", "UPDATE"] {
                    try await sql.raw(
                        """
                        CREATE TRIGGER \(unsafeRaw: table)_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) \
                        ON \(unsafeRaw: table) BEGIN UPDATE row_writes SET n = n + 1 WHERE tbl = '\(unsafeRaw: table)'; END
                        """
                    ).run()
                }
            }
        }
    }

    struct Count: Decodable {
        var tbl: String
        var n: Int
    }

    /// Rows written since the last call, by table.
    static func takeWrites(_ harness: ServerHarness) async throws -> [String: Int] {
        let sql = harness.database as! any SQLDatabase
        let rows = try await sql.raw("SELECT tbl, n FROM row_writes").all(decoding: Count.self)
        try await sql.raw("UPDATE row_writes SET n = 0").run()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.tbl, $0.n) })
    }

    @Test(arguments: TestDatabases.all)
    func aFullImportThatFindsNothingNewWritesNoTicketOrTechnician(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            try await Self.countWrites(harness, database)
            let tickets = try await TicketRecord.query(on: harness.database).count()
            let technicians = try await TechnicianRecord.query(on: harness.database).count()
            #expect(tickets > 0 && technicians > 0)

            harness.clock.advance(by: 600)
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            #expect(try await Self.takeWrites(harness) == ["tickets": 0, "technicians": 0])
            #expect(try await TicketRecord.query(on: harness.database).count() == tickets)
            #expect(try await TechnicianRecord.query(on: harness.database).count() == technicians)
        }
    }

    @Test(arguments: TestDatabases.all)
    func aFullImportWritesExactlyTheTicketsAndTechniciansThatChanged(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            try await Self.countWrites(harness, database)
            let before = try await TicketRecord.query(on: harness.database).filter(\.$isOpen == true)
                .sort(\.$ticketID).all()
            let renamed = try #require(before.first)
            let vanished = try #require(before.last)
            let technician = try #require(
                try await TechnicianRecord.query(on: harness.database).sort(\.$resourceID).first())

            var records = await harness.sandbox.records()
            // A ticket Autotask has and the Store has not yet (an id no ticket ever had).
            let newID = (records["Tickets"]!.compactMap { $0.int("id") }.max() ?? 0) + 1
            records["Tickets"] = records["Tickets"]!.compactMap { ticket in
                var ticket = ticket
                if ticket.int("id") == renamed.ticketID { ticket["title"] = "Printer jams again" }
                return ticket.int("id") == vanished.ticketID ? nil : ticket
            }
            var added = records["Tickets"]!.first { $0.int("id") == renamed.ticketID }!
            added["id"] = .integer(Int64(newID))
            added["ticketNumber"] = "T20260908.9999"
            added["title"] = "New laptop for the front desk"
            records["Tickets"]!.append(added)
            records["Resources"] = records["Resources"]!.map { resource in
                guard resource.int("id") == technician.resourceID else { return resource }
                var resource = resource
                resource["lastName"] = "Renamed"
                return resource
            }
            await harness.sandbox.load(records)

            harness.clock.advance(by: 600)
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            // Renamed, closed (it left the open list) and added: three ticket rows; one technician.
            #expect(try await Self.takeWrites(harness) == ["tickets": 3, "technicians": 1])
            let stored = { (id: Int) in
                try await TicketRecord.query(on: harness.database).filter(\.$ticketID == id).all()
            }
            #expect(try await stored(renamed.ticketID).map(\.title) == ["Printer jams again"])
            #expect(try await stored(vanished.ticketID).map(\.isOpen) == [false])
            #expect(try await stored(newID).map(\.title) == ["New laptop for the front desk"])
            let renamedTechnician = try await TechnicianRecord.query(on: harness.database)
                .filter(\.$resourceID == technician.resourceID).all()
            #expect(renamedTechnician.map { $0.name.hasSuffix(" Renamed") } == [true])
        }
    }

    /// An hourly (incremental) pass reads only the tickets changed since the last one, looks their
    /// rows up by id, and writes the one whose title changed.
    @Test(arguments: TestDatabases.all)
    func anIncrementalImportWritesOnlyTheChangedTicket(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            try await Self.countWrites(harness, database)
            let ticket = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$isOpen == true).sort(\.$ticketID).first())
            harness.clock.advance(by: 600)
            await NextActivityFollowsTicketsTests.change(harness, ticket: ticket.ticketID) {
                $0["title"] = "Printer jams again"
            }
            let summary = try await harness.job.run(trigger: "test")
            #expect(!summary.fullImport)
            #expect(try await Self.takeWrites(harness) == ["tickets": 1, "technicians": 0])
            let stored = try await TicketRecord.query(on: harness.database).filter(\.$ticketID == ticket.ticketID).all()
            #expect(stored.map(\.title) == ["Printer jams again"])
        }
    }

    /// Every column the import writes takes part in the comparison: one left out would keep a change
    /// from ever reaching the Store.
    @Test(arguments: 0..<13)
    func aChangeToAnyTicketColumnIsAChange(column: Int) {
        let record = TicketRecord()
        record.ticketID = 7001
        record.number = "T1"
        record.title = "Title"
        record.status = 1
        record.priority = 2
        record.priorityRank = 1
        record.queueID = 5
        record.companyID = 174
        record.assignedResourceID = 29_682_885
        record.createdAt = Date(timeIntervalSince1970: 1_788_000_000)
        record.dueAt = Date(timeIntervalSince1970: 1_789_000_000)
        record.lastActivityAt = Date(timeIntervalSince1970: 1_788_500_000)
        record.isOpen = true
        record.assignedAt = Date(timeIntervalSince1970: 1_788_600_000)
        let before = AutotaskImporter.storedFields(of: record)
        switch column {
        case 0: record.number = "T2"
        case 1: record.title = "Other"
        case 2: record.status = 5
        case 3: record.priority = 3
        case 4: record.priorityRank = 2
        case 5: record.queueID = nil
        case 6: record.companyID = 175
        case 7: record.assignedResourceID = 29_682_886
        case 8: record.createdAt = record.createdAt.addingTimeInterval(1)
        case 9: record.dueAt = nil
        case 10: record.lastActivityAt = record.lastActivityAt?.addingTimeInterval(60)
        case 11: record.isOpen = false
        default: record.assignedAt = nil
        }
        #expect(AutotaskImporter.storedFields(of: record) != before)
    }
}
