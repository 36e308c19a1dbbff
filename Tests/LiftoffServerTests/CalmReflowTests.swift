import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Testing

@testable import LiftoffServer

/// A working day on a pinned clock (issue 9): a reflow moves a call only when it has to, and the
/// call of work nobody started is moved, never cut into a stub beside a new call.
@Suite(.serialized) struct CalmReflowTests {
    /// Liftoff's live calls in the sandbox, by id: (start, end).
    static func liveCalls(_ harness: ServerHarness) async throws -> [Int: (start: Date, end: Date)] {
        let links = try await ServiceCallLinkRecord.query(on: harness.database).filter(\.$isComplete == false).all()
        let ids = Set(links.compactMap(\.serviceCallID))
        var result: [Int: (start: Date, end: Date)] = [:]
        for record in await harness.serviceCalls() {
            guard let id = record.int("id"), ids.contains(id), let start = record.date("startDateTime"),
                let end = record.date("endDateTime")
            else { continue }
            result[id] = (start, end)
        }
        return result
    }

    @Test(arguments: TestDatabases.all)
    func aRunMinutesLaterWithNothingChangedWritesNothing(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            let first = try await harness.job.run(trigger: "test", fullImport: true)
            #expect(first.created > 100)
            let before = try await Self.liveCalls(harness)
            harness.clock.advance(by: 7 * 60)
            let quiet = try await harness.job.run(trigger: "test")
            #expect(quiet.created + quiet.moved + quiet.removed == 0, "\(quiet.changes.prefix(5))")
            #expect(quiet.apiRequests <= 8, "a quiet run reads changes only")
            let after = try await Self.liveCalls(harness)
            #expect(after.count == before.count)
            #expect(after.allSatisfy { id, call in before[id].map { $0 == call } ?? false })
        }
    }

    @Test(arguments: TestDatabases.all)
    func workNobodyStartedMovesWithItsCallAndLeavesNoStub(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let start = harness.now
            // Blocks under way now that end within the next 70 minutes, and nobody presses Start.
            let links = try await ServiceCallLinkRecord.query(on: harness.database).filter(\.$isComplete == false)
                .all()
            let endingSoon = links.filter { $0.start <= start && $0.end > start && $0.end <= start + 70 * 60 }
            harness.clock.advance(by: 70 * 60)
            let later = try await harness.job.run(trigger: "test")
            #expect(!later.changes.contains { $0.hasPrefix("finish") }, "no call was cut short: \(later.changes)")
            let calls = try await Self.liveCalls(harness)
            let linksAfter = try await ServiceCallLinkRecord.query(on: harness.database).filter(\.$isComplete == false)
                .all()
            #expect(calls.count == linksAfter.count, "one live call per link, none left behind")
            for link in endingSoon {
                let id = try #require(link.serviceCallID)
                let moved = try #require(calls[id], "the call of \(link.activityID) is gone")
                #expect(moved.start >= harness.now, "the call of \(link.activityID) moved with its block")
                #expect(
                    moved.end.timeIntervalSince(moved.start) == link.end.timeIntervalSince(link.start),
                    "the call of \(link.activityID) kept its length (no stub)")
            }
        }
    }

    @Test func aStartedActivitysCallKeepsItsStartAndItsEndFollows() async throws {
        try await ServerHarness.run("sqlite") { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let now = harness.now
            let links = try await ServiceCallLinkRecord.query(on: harness.database).filter(\.$isComplete == false)
                .all()
            // A block under way, started 10 minutes late by its technician.
            let link = try #require(links.first { $0.start <= now && $0.end > now.addingTimeInterval(600) })
            let activity = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$activityID == link.activityID)
                    .first())
            activity.startedAt = link.start.addingTimeInterval(600)
            try await activity.save(on: harness.database)
            _ = try await harness.job.run(trigger: "test")
            let id = try #require(link.serviceCallID)
            let call = try #require(try await Self.liveCalls(harness)[id])
            #expect(call.start == link.start, "the call keeps its start")
            #expect(
                call.end == link.start.addingTimeInterval(600 + Double(activity.durationMinutes) * 60),
                "its end follows the work")
        }
    }
}
