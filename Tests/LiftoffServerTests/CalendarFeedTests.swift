import Fluent
import Foundation
import LiftoffCore
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// Each technician's calendar as an ICS feed (issue 13, docs/booking.md): a secret, renewable address;
/// Next Activity blocks, fixed appointments and imported calls with stable UIDs; SEQUENCE counted up
/// when an event moves.
@Suite(.serialized) struct CalendarFeedTests {
    static let maria = 29_682_885

    /// The events of a feed: UID → (DTSTART, SEQUENCE, SUMMARY).
    static func events(_ text: String) -> [String: (start: String, sequence: Int, summary: String)] {
        var events: [String: (String, Int, String)] = [:]
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        for block in unfolded.components(separatedBy: "BEGIN:VEVENT").dropFirst() {
            var fields: [String: String] = [:]
            for line in block.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
            }
            if let uid = fields["UID"] {
                events[uid] = (fields["DTSTART"] ?? "", Int(fields["SEQUENCE"] ?? "") ?? -1, fields["SUMMARY"] ?? "")
            }
        }
        return events
    }

    @Test(arguments: TestDatabases.all)
    func theFeedShowsThePlanAndCountsMoves(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let address = try AppointmentTypeAPITests.object(
                try await AppointmentTypeAPITests.send(harness, .GET, "/api/v1/technicians/\(Self.maria)/feed"))
            let path = try #require(address["path"] as? String)
            let stranger = WebSession(app: harness.app)
            let first = try await stranger.send(.GET, path)
            #expect(first.status == .ok)
            #expect(first.headers.contentType?.description.hasPrefix("text/calendar") == true)
            let text = first.body.string
            #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
            #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 }, "lines are folded")
            let before = Self.events(text)
            let plan = try await harness.plan()
            let blocks = try #require(plan.technicians.first { $0.id == String(Self.maria) }).calendar
            let firstBlock = try #require(blocks.first)
            let uid = "block-\(firstBlock.activityId)-\(firstBlock.part)@liftoff"
            #expect(before[uid]?.sequence == 0)
            #expect(before.keys.filter { $0.hasPrefix("block-") }.count == blocks.count)
            // Imported calls are in the feed: those of a technician who has one in the coming days
            // (which technician depends on the moment the tests run at).
            let imported = try #require(
                try await BusyItemRecord.query(on: harness.database).filter(\.$kind == "imported")
                    .filter(\.$end > harness.now).sort(\.$start).first(),
                "the demo tenant has imported service calls ahead")
            let withCall = try AppointmentTypeAPITests.object(
                try await AppointmentTypeAPITests.send(
                    harness, .GET, "/api/v1/technicians/\(imported.resourceID)/feed"))
            let callFeed = Self.events(
                try await stranger.send(.GET, try #require(withCall["path"] as? String)).body.string)
            let callUID = "\(imported.source.replacingOccurrences(of: ":", with: "-").lowercased())@liftoff"
            #expect(callUID.hasPrefix("servicecall-"))
            #expect(callFeed[callUID] != nil, "imported calls are in the feed: \(callUID)")

            // Something fixed lands on the first block: it moves, keeps its UID, SEQUENCE 1.
            let fixed = BusyItemRecord()
            fixed.resourceID = Self.maria
            fixed.source = "test:fixed"
            fixed.kind = "fixed"
            fixed.start = firstBlock.start.date
            fixed.end = firstBlock.end.date
            fixed.title = "Customer visit"
            fixed.status = "open"
            try await fixed.save(on: harness.database)
            try await PlanVersion.bump(on: harness.database)
            let after = Self.events(try await stranger.send(.GET, path).body.string)
            #expect(after[uid]?.sequence == 1, "a moved block counts up its SEQUENCE")
            #expect(after[uid]?.start != before[uid]?.start)
            #expect(after["test-fixed@liftoff"]?.summary == "Customer visit", "fixed appointments are in the feed")
            let unchanged = before.filter { after[$0.key]?.start == $0.value.start }.map(\.key)
            #expect(unchanged.allSatisfy { after[$0]?.sequence == before[$0]?.sequence }, "unmoved events keep theirs")

            // A new address: the old one stops working; a changed signature never worked.
            let renewed = try AppointmentTypeAPITests.object(
                try await AppointmentTypeAPITests.send(
                    harness, .POST, "/api/v1/technicians/\(Self.maria)/feed/renew"))
            let newPath = try #require(renewed["path"] as? String)
            #expect(newPath != path)
            #expect(try await stranger.send(.GET, path).status == .notFound)
            #expect(try await stranger.send(.GET, newPath).status == .ok)
            let tampered = newPath.replacingOccurrences(of: "-2-", with: "-3-")
            #expect(try await stranger.send(.GET, tampered).status == .notFound)
        }
    }

    @Test func aTechnicianGetsTheirOwnFeedOnly() async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let runtime = try #require(harness.runtime)
            let technicians = try await runtime.technicians()
            let (own, other) = (technicians[0].id, technicians[1].id)
            try await runtime.addUser(
                username: "tech", displayName: "Tech", password: ServerHarness.password, role: .technician,
                resourceID: own)
            let web = WebSession(app: harness.app)
            try await web.login("tech", ServerHarness.password)
            #expect(try await web.send(.GET, "/api/v1/technicians/\(own)/feed").status == .ok)
            #expect(try await web.send(.GET, "/api/v1/technicians/\(other)/feed").status == .forbidden)
            let board = try await web.send(.GET, "/workboard/\(own)", headers: ["Accept": "text/html"])
            #expect(board.body.string.contains(#"id="feed-url""#))
            #expect(board.body.string.contains("/feeds/\(own)-1-"))
        }
    }
}
