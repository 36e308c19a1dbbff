import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Testing
import Vapor

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

    /// Every hour the import reads the calls in the window; only calls that are not Liftoff's need
    /// their owners read (two more requests per 400 calls), so Liftoff's own thousands cost nothing.
    @Test func onlyCallsThatAreNotLiftoffsHaveTheirOwnersRead() {
        let calls = [
            ServiceCall(id: 1, description: "Onsite visit"),  // a TimeZest booking
            ServiceCall(id: 2, description: "Printer [liftoff:abc123]"),  // marked: Liftoff's, link lost
            ServiceCall(id: 3, description: "Printer"),  // linked: Liftoff's
            ServiceCall(id: nil, description: "no id"),
            ServiceCall(id: 4, description: nil),
        ]
        #expect(AutotaskImporter.callsNeedingOwners(calls, ownIDs: [3]) == [1, 4])
    }

    @Test(arguments: TestDatabases.all)
    func workNobodyStartedMovesWithItsCallAndLeavesNoStub(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let start = harness.now
            let links = try await ServiceCallLinkRecord.query(on: harness.database).filter(\.$isComplete == false)
                .all()
            // Ten minutes into the first block, the blocks under way stay though nobody pressed Start.
            let firstStart = try #require(links.map(\.start).filter { $0 >= start }.min())
            harness.clock.set(firstStart.addingTimeInterval(10 * 60))
            let underWayRun = try await harness.job.run(trigger: "test")
            let underWay = links.filter { $0.start <= harness.now && $0.end > harness.now }
            #expect(!underWay.isEmpty)
            #expect(
                underWayRun.created + underWayRun.moved + underWayRun.removed == 0, "\(underWayRun.changes.prefix(5))")
            for link in underWay {
                #expect(
                    !underWayRun.changes.contains { $0.contains(" \(link.activityID) ") },
                    "\(link.activityID) under way stays")
            }
            // Past the end of the first block: it ended and nobody started its work.
            let firstEnd = try #require(links.map(\.end).filter { $0 > start }.min())
            harness.clock.set(max(harness.now, firstEnd).addingTimeInterval(60))
            let ended = links.filter { $0.end <= harness.now && $0.end > start }
            #expect(!ended.isEmpty)
            let later = try await harness.job.run(trigger: "test")
            #expect(!later.changes.contains { $0.hasPrefix("finish") }, "no call was cut short: \(later.changes)")
            #expect(later.created == 0, "calls move; none is created beside them")
            let calls = try await Self.liveCalls(harness)
            let linksAfter = try await ServiceCallLinkRecord.query(on: harness.database).filter(\.$isComplete == false)
                .all()
            #expect(calls.count == linksAfter.count, "one live call per link, none left behind")
            for link in ended {
                let id = try #require(link.serviceCallID)
                let moved = try #require(calls[id], "the call of \(link.activityID) is gone")
                #expect(moved.start >= harness.now, "the call of \(link.activityID) moved with its block")
                #expect(
                    moved.end.timeIntervalSince(moved.start) == link.end.timeIntervalSince(link.start),
                    "the call of \(link.activityID) kept its length (no stub)")
            }
        }
    }

    @Test(arguments: TestDatabases.all)
    func aStartedActivitysCallKeepsItsStartAndItsEndFollows(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let links = try await ServiceCallLinkRecord.query(on: harness.database).filter(\.$isComplete == false)
                .all()
            // The next block that nobody has started, 15 minutes in; its technician started 10
            // minutes late.
            let startedIDs = Set(
                try await NextActivityRecord.query(on: harness.database).filter(\.$startedAt != nil).all().map(
                    \.activityID))
            let link = try #require(
                links.filter { $0.start > harness.now && $0.part == 1 && !startedIDs.contains($0.activityID) }.min {
                    $0.start < $1.start
                })
            harness.clock.set(link.start.addingTimeInterval(15 * 60))
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

/// `reflowToleranceMinutes` is a site and technician setting, on the Settings page and in the API.
@Suite(.serialized) struct ReflowToleranceSettingTests {
    @Test(arguments: TestDatabases.all)
    func theSettingsPageAndTheAPISaveTheToleranceAndRefuseABadOne(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let page = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"])
            #expect(page.body.string.contains(#"name="reflowToleranceMinutes""#))
            let token = try await web.csrf(on: "/settings")
            let saved = try await web.send(
                .POST, "/settings/site", form: ["_csrf": token, "reflowToleranceMinutes": "15"])
            #expect(saved.status == .seeOther)
            #expect(
                try await SettingsStore.get(SettingsStore.siteKey, on: harness.database)?.contains(
                    #""reflowToleranceMinutes":15"#) == true)
            #expect(
                try await web.send(.GET, "/settings", headers: ["Accept": "text/html"]).body.string.contains(
                    #"id="reflowToleranceMinutes" name="reflowToleranceMinutes" type="number" min="0" max="1000000" value="15""#
                ))
            let technician = try #require(try await harness.runtime?.technicians().first?.id)
            let bearer: HTTPHeaders = ["Authorization": "Bearer t0ken"]
            let override = try await web.send(
                .PUT, "/api/v1/settings/technicians/\(technician)", headers: bearer,
                json: #"{"reflowToleranceMinutes": 0}"#)
            #expect(override.status == .ok)
            let bad = try await web.send(
                .PUT, "/api/v1/settings/site", headers: bearer, json: #"{"reflowToleranceMinutes": -5}"#)
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("reflowToleranceMinutes"))
            // The planner reads both: the site's 15, the technician's 0.
            let problem = try await ProblemBuilder(database: harness.database, now: harness.now).build().problem
            #expect(problem.settings.reflowToleranceMinutes == 15)
            let overridden = try #require(problem.technicians.first { $0.id == String(technician) })
            #expect(problem.settings.applying(overridden.settings).reflowToleranceMinutes == 0)
            #expect(!overridden.current.isEmpty, "the owned calls go to the planner as current blocks")
        }
    }
}
