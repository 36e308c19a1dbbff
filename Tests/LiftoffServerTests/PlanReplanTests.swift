import Fluent
import Foundation
import LiftoffCore
import NIOCore
import Testing

@testable import LiftoffServer

/// After a Workboard action the plan cache re-plans only the acting technician, and gets exactly the
/// plan a full build would.
@Suite struct PlanReplanTests {
    static let dispatcher = Account(
        username: "dana", displayName: "Dana", role: .dispatcher, resourceID: nil, viaToken: true)

    /// The parts of a snapshot the pages show, to compare an incremental build with a full one.
    static func expectSamePlan(_ incremental: PlanSnapshot, _ full: PlanSnapshot) {
        #expect(incremental.answer == full.answer)
        #expect(incremental.technicians.map(\.resourceID) == full.technicians.map(\.resourceID))
        #expect(incremental.activities.mapValues(\.state) == full.activities.mapValues(\.state))
        #expect(incremental.activities.mapValues(\.startedAt) == full.activities.mapValues(\.startedAt))
        #expect(incremental.busy.mapValues { $0.map(\.source) } == full.busy.mapValues { $0.map(\.source) })
        #expect(Set(full.tickets.keys).isSubset(of: Set(incremental.tickets.keys)))
    }

    static func openActivities(_ harness: ServerHarness) async throws -> [NextActivityRecord] {
        try await NextActivityRecord.query(on: harness.database).filter(\.$state == "open").sort(\.$activityID).all()
    }

    @Test(arguments: TestDatabases.all)
    func anActionReplansOnlyItsTechnicianAndMatchesAFullBuild(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let cache = PlanCache(clock: harness.clock.clock)
            let before = try await cache.current(on: harness.database)
            #expect(await cache.lastBuildKind == "full")
            let open = try await Self.openActivities(harness)
            let activity = try #require(open.first)
            let workflow = ActivityWorkflow(database: harness.database)
            for action in [ActivityAction.start, .complete] {
                _ = try await workflow.perform(
                    action, activityID: activity.activityID, by: Self.dispatcher, reason: nil, now: harness.now)
                let after = try await cache.current(on: harness.database)
                #expect(await cache.lastBuildKind == "one technician", "\(action)")
                #expect(after.version != before.version)
                let full = try await PlanSnapshot.make(
                    on: harness.database, now: harness.now, version: after.version)
                Self.expectSamePlan(after, full)
            }
            // The completed activity left the technician's plan; nobody else's changed.
            let after = try await cache.current(on: harness.database)
            let index = try #require(after.indexByResource[activity.resourceID])
            #expect(!after.answer.technicians[index].workboard.contains { $0.activityId == activity.activityID })
            for (position, plan) in after.answer.technicians.enumerated() where position != index {
                #expect(plan == before.answer.technicians[position])
            }
        }
    }

    @Test(arguments: TestDatabases.all)
    func changesTheCacheDidNotSeeOneByOneMakeAFullBuild(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let cache = PlanCache(clock: harness.clock.clock)
            _ = try await cache.current(on: harness.database)
            let open = try await Self.openActivities(harness)
            // Two technicians' actions before the cache looks again: re-planning the last alone would
            // miss the first.
            let first = try #require(open.first)
            let second = try #require(open.first { $0.resourceID != first.resourceID })
            let workflow = ActivityWorkflow(database: harness.database)
            for activity in [first, second] {
                _ = try await workflow.perform(
                    .start, activityID: activity.activityID, by: Self.dispatcher, reason: nil, now: harness.now)
            }
            let after = try await cache.current(on: harness.database)
            #expect(await cache.lastBuildKind == "full")
            #expect(after.activities[first.activityID]?.startedAt == harness.now)
            #expect(after.activities[second.activityID]?.startedAt == harness.now)
            // A change wider than one technician (here, the site's settings) is never a partial build.
            try await PlanVersion.bump(on: harness.database)
            _ = try await cache.current(on: harness.database)
            #expect(await cache.lastBuildKind == "full")
        }
    }

    @Test(arguments: TestDatabases.all)
    func stampsChainSoNoChangeIsSkipped(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            try await PlanVersion.ensure(on: harness.database)
            let start = PlanVersion.Stamp(try await PlanVersion.current(on: harness.database))
            try await PlanVersion.bump(on: harness.database, technician: 29_682_885)
            let one = PlanVersion.Stamp(try await PlanVersion.current(on: harness.database))
            #expect(one.previous == start.id)
            #expect(one.technician == 29_682_885)
            try await PlanVersion.bump(on: harness.database)
            let two = PlanVersion.Stamp(try await PlanVersion.current(on: harness.database))
            #expect(two.previous == one.id)
            #expect(two.technician == nil)
            #expect(two.id.count == 36 && two.id != one.id)
            // Many at once still chain: each names a different predecessor, so they form one line.
            let stamps = try await withThrowingTaskGroup(of: String.self) { group in
                for technician in 1...8 {
                    group.addTask {
                        try await harness.database.transactionStartingOverWhenBusy {
                            try await PlanVersion.bump(on: $0, technician: technician)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append(PlanVersion.Stamp($1)) }
            }
            #expect(Set(stamps.compactMap(\.previous)).count == 8)
            #expect(
                Set(stamps.compactMap(\.previous))
                    == Set([two.id] + stamps.map(\.id)).subtracting([
                        PlanVersion.Stamp(try await PlanVersion.current(on: harness.database)).id
                    ]))
        }
    }
}

/// The plan version is read once for many requests at a time, never at the cost of missing a change.
@Suite struct PlanVersionReadingTests {
    @Test(arguments: TestDatabases.all)
    func requestsAtOnceShareVersionReadsYetEachSeesWhatWasCommittedBeforeIt(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let cache = PlanCache(clock: harness.clock.clock)
            let first = try await cache.current(on: harness.database)
            let readsBefore = await cache.versionReads
            let versions = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<100 { group.addTask { try await cache.current(on: harness.database).version } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(versions) == [first.version])
            let reads = await cache.versionReads - readsBefore
            #expect(reads >= 1 && reads < 50, "100 requests at once made \(reads) version reads")

            // A change committed before a request is seen by it, however many readers are waiting.
            let readers = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<50 { group.addTask { _ = try await cache.current(on: harness.database) } }
                    try await group.waitForAll()
                }
            }
            let bumped = try await PlanVersion.bump(on: harness.database)
            #expect(try await cache.current(on: harness.database).version == bumped)
            try await readers.value
        }
    }
}

/// Answers made from one snapshot are kept by size, so 500 technicians' Workboards do not crowd out
/// the calendar.
@Suite struct PlanCacheResponseTests {
    @Test func answersAreKeptWhileTheyFitTheBudgetHoweverManyThereAre() async throws {
        try await ServerHarness.run("sqlite") { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let cache = PlanCache(clock: harness.clock.clock, keepsResponses: true, responseBudget: 20_000)
            let snapshot = try await cache.current(on: harness.database)
            for board in 0..<1_000 {
                await cache.keep(ByteBuffer(repeating: 1, count: 10), as: "workboard:\(board)", of: snapshot)
            }
            let calendar = ByteBuffer(repeating: 2, count: 9_000)
            await cache.keep(calendar, as: "calendar", of: snapshot)
            #expect(await cache.response("workboard:999", of: snapshot)?.readableBytes == 10)
            #expect(await cache.response("calendar", of: snapshot) == calendar)
            // Over the budget: not kept (answered afresh each time rather than growing without bound).
            await cache.keep(ByteBuffer(repeating: 3, count: 2_000), as: "too much", of: snapshot)
            #expect(await cache.response("too much", of: snapshot) == nil)
        }
    }
}

/// The minute-by-minute refresh plans the held problem at the new instant and reads the Store only
/// every `readAge`: the same plan a full build makes then.
@Suite struct PlanClockRefreshTests {
    @Test(arguments: TestDatabases.all)
    func anOldSnapshotIsPlannedAgainAtTheNewInstantLikeAFullBuild(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let cache = PlanCache(clock: harness.clock.clock, maxAge: 60, readAge: 3 * 3600)
            let first = try await cache.current(on: harness.database)
            #expect(await cache.lastBuildKind == "full")
            // Hours on: other calls are under way (`current` blocks), estimates have moved; after
            // `readAge` the Store is read again.
            for (minutes, kind) in [(1, "clock"), (61, "clock"), (121, "clock"), (240, "full")] {
                harness.clock.advance(by: TimeInterval(minutes * 60) - harness.now.timeIntervalSince(first.madeAt))
                let old = try await cache.current(on: harness.database)
                #expect(old.madeAt < harness.now, "an old snapshot is answered while the next is made")
                await cache.settled()
                #expect(await cache.lastBuildKind == kind, "\(minutes) minutes on")
                let refreshed = try await cache.current(on: harness.database)
                #expect(refreshed.madeAt == harness.now)
                let full = try await PlanSnapshot.make(
                    on: harness.database, now: harness.now, version: refreshed.version)
                PlanReplanTests.expectSamePlan(refreshed, full)
                #expect(refreshed.problem.technicians.map(\.current) == full.problem.technicians.map(\.current))
            }
        }
    }
}
