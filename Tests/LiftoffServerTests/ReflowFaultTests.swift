import AutotaskAPI
import AutotaskSandbox
import Fluent
import Foundation
import LiftoffCore
import Testing

@testable import LiftoffServer

/// Whatever goes wrong — server errors, timeouts, thread-limit answers, connections dropped after a
/// write was applied, the process killed mid-run — the next runs end with exactly one service call
/// per block: none lost, none duplicated.
@Suite(.serialized) struct ReflowFaultTests {
    /// Checks the calendar in Autotask against the Store and the plan.
    static func expectOneCallPerBlock(_ harness: ServerHarness, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let records = await harness.sandbox.records()
        let calls = records["ServiceCalls"] ?? []
        var byMarker: [String: [Int]] = [:]
        for call in calls {
            if let marker = ServiceCallMarker.find(in: call.string("description")), let id = call.int("id") {
                byMarker[marker.token, default: []].append(id)
            }
        }
        #expect(
            byMarker.values.allSatisfy { $0.count == 1 }, "duplicated service calls", sourceLocation: sourceLocation)
        let links = try await ServiceCallLinkRecord.query(on: harness.database).all()
        #expect(links.allSatisfy { $0.state == "created" }, "links left half-made", sourceLocation: sourceLocation)
        #expect(
            Set(links.compactMap(\.serviceCallID)) == Set(byMarker.values.flatMap { $0 }), "calls lost or orphaned",
            sourceLocation: sourceLocation)
        let ticketLinks = records["ServiceCallTickets"] ?? []
        let resourceLinks = records["ServiceCallTicketResources"] ?? []
        for link in links {
            let mine = ticketLinks.filter { $0.int("serviceCallID") == link.serviceCallID }
            #expect(
                mine.count == 1, "service call \(link.serviceCallID ?? 0) has \(mine.count) ticket links",
                sourceLocation: sourceLocation)
            let people = resourceLinks.filter { $0.int("serviceCallTicketID") == mine.first?.int("id") }
            #expect(
                people.count == 1, "service call \(link.serviceCallID ?? 0) has \(people.count) resources",
                sourceLocation: sourceLocation)
        }
        // And the calendar is the plan: every block has its call at its time.
        let now = harness.now
        let blocks = try await harness.plan().technicians.flatMap { technician in
            technician.calendar.filter { $0.end.date > now }.map {
                "\(technician.id)/\($0.activityId)/\($0.part)@\($0.start)–\($0.end)"
            }
        }
        let linked = links.filter { !$0.isComplete && $0.end > now }.map {
            "\($0.resourceID)/\($0.activityID)/\($0.part)@\(CalendarReflowJob.instant($0.start))–\(CalendarReflowJob.instant($0.end))"
        }
        #expect(Set(blocks) == Set(linked), sourceLocation: sourceLocation)
    }

    @Test(arguments: TestDatabases.all)
    func faultyAutotaskNeverLosesOrDuplicatesCalls(_ database: String) async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = try SandboxFaults(
            parsing: "error=0.06,thread=0.06,drop=0.08,timeout=0.01,timeoutAfter=3s,seed=11")
        try await ServerHarness.run(database, sandboxConfiguration: configuration, clientTimeout: .seconds(2)) {
            harness in
            var runs = 0
            var clean = false
            while !clean && runs < 20 {
                runs += 1
                do {
                    let summary = try await harness.job.run(trigger: "test", fullImport: runs == 1)
                    let pending = try await OutboxRecord.query(on: harness.database).filter(\.$state == "pending")
                        .count()
                    clean = summary.outcome == "succeeded" && pending == 0
                } catch {
                    // A run that could not finish leaves its work in the outbox for the next one.
                }
            }
            #expect(clean, "still not clean after \(runs) runs")
            await harness.sandbox.setFaults(SandboxFaults())
            let quiet = try await harness.job.run(trigger: "test")
            #expect(quiet.created + quiet.moved + quiet.removed == 0)
            #expect(try await OutboxRecord.query(on: harness.database).filter(\.$state == "failed").count() == 0)
            try await Self.expectOneCallPerBlock(harness)
        }
    }

    /// Autotask refusing every request for the rest of the hour (the tenant's budget is spent) stops the
    /// outbox where it is: nothing fails, nothing is dropped, and the next run once the budget is back
    /// writes the rest.
    @Test(arguments: TestDatabases.all)
    func anExhaustedBudgetPausesTheOutboxUntilTheNextRun(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            // A client that never holds work back on its own, so only Autotask's refusal stops it.
            let sandboxDefaults = SandboxConfiguration()
            let client = AutotaskClient(
                configuration: AutotaskConfiguration(
                    integrationCode: sandboxDefaults.integrationCode, userName: sandboxDefaults.userName,
                    secret: sandboxDefaults.secret, discoveryURL: SandboxServer.discoveryURL(port: harness.port),
                    retry: RetryPolicy(maximumAttempts: 2, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(2)),
                    budget: BudgetPolicy(
                        slowDownAt: 1, pauseBackgroundAt: 1, pauseNormalAt: 1, thresholdRefreshEvery: 100_000)),
                logger: harness.app.logger)
            let job = CalendarReflowJob(
                client: client, database: harness.database, logger: harness.app.logger, clock: harness.clock.clock)

            // What one import costs, read without writing anything.
            let before = await harness.sandbox.requestStatistics().total
            _ = try await job.run(trigger: "test", fullImport: true, dryRun: true)
            let importCost = await harness.sandbox.requestStatistics().total - before
            // Enough for the next run's import and a few writes, not for the whole calendar.
            let spent = await harness.sandbox.requestStatistics().total
            await harness.sandbox.setHourlyThreshold(spent + importCost + 8)

            let paused = try await job.run(trigger: "test")
            #expect(paused.outcome == "incomplete")
            #expect(paused.pendingWrites > 0)
            let pending = try await OutboxRecord.query(on: harness.database).filter(\.$state == "pending").count()
            #expect(pending > 10, "the outbox stopped at the first refusal instead of trying every entry")
            #expect(try await OutboxRecord.query(on: harness.database).filter(\.$state == "failed").count() == 0)
            let writesWhilePaused = await harness.sandbox.requestStatistics().writes

            // Another try within the hour is refused too, and changes nothing.
            _ = try? await job.run(trigger: "test")
            #expect(await harness.sandbox.requestStatistics().writes == writesWhilePaused)

            // The budget is back: the next run finishes the calendar, one call per block.
            await harness.sandbox.setHourlyThreshold(100_000)
            let resumed = try await job.run(trigger: "test")
            #expect(resumed.outcome == "succeeded")
            #expect(try await OutboxRecord.query(on: harness.database).filter(\.$state == "pending").count() == 0)
            #expect(try await OutboxRecord.query(on: harness.database).filter(\.$state == "failed").count() == 0)
            try await Self.expectOneCallPerBlock(harness)
        }
    }

    /// A client whose own budget policy holds the rest of the hour back for urgent work (Autotask
    /// would still answer) pauses the outbox the same way: the run ends incomplete, nothing fails or
    /// is dropped, and a later run with room writes the rest, one call per block.
    @Test(arguments: TestDatabases.all)
    func aReservedBudgetPausesTheOutboxUntilTheNextRun(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            let sandboxDefaults = SandboxConfiguration()
            /// A client that reads Autotask's usage before every request and holds normal work back
            /// from `pauseNormalAt` of the hourly threshold.
            func client(pauseNormalAt: Double) -> AutotaskClient {
                AutotaskClient(
                    configuration: AutotaskConfiguration(
                        integrationCode: sandboxDefaults.integrationCode, userName: sandboxDefaults.userName,
                        secret: sandboxDefaults.secret, discoveryURL: SandboxServer.discoveryURL(port: harness.port),
                        retry: RetryPolicy(
                            maximumAttempts: 2, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(2)),
                        budget: BudgetPolicy(
                            slowDownAt: 1, pauseBackgroundAt: 1, pauseNormalAt: pauseNormalAt,
                            thresholdRefreshEvery: 1)),
                    logger: harness.app.logger)
            }
            func job(_ client: AutotaskClient) -> CalendarReflowJob {
                CalendarReflowJob(
                    client: client, database: harness.database, logger: harness.app.logger, clock: harness.clock.clock)
            }
            // Autotask itself never refuses in this test: its threshold stays far away.
            let threshold = 1_000_000
            await harness.sandbox.setHourlyThreshold(threshold)
            let before = await harness.sandbox.requestStatistics().total
            _ = try await job(client(pauseNormalAt: 1)).run(trigger: "test", fullImport: true, dryRun: true)
            let importCost = await harness.sandbox.requestStatistics().total - before
            // Room for the next run's import and a few writes, then the rest is held for urgent work.
            let spent = await harness.sandbox.requestStatistics().total
            let reservedFrom = Double(spent + importCost + 12) / Double(threshold)

            let paused = try await job(client(pauseNormalAt: reservedFrom)).run(trigger: "test")
            #expect(paused.outcome == "incomplete")
            let pending = try await OutboxRecord.query(on: harness.database).filter(\.$state == "pending").count()
            #expect(pending > 10, "the outbox paused at the reservation instead of trying every entry")
            #expect(try await OutboxRecord.query(on: harness.database).filter(\.$state == "failed").count() == 0)
            let writesWhilePaused = await harness.sandbox.requestStatistics().writes

            // Another run with the same reservation writes nothing more.
            _ = try? await job(client(pauseNormalAt: reservedFrom)).run(trigger: "test")
            #expect(await harness.sandbox.requestStatistics().writes == writesWhilePaused)

            let resumed = try await job(client(pauseNormalAt: 1)).run(trigger: "test")
            #expect(resumed.outcome == "succeeded")
            #expect(try await OutboxRecord.query(on: harness.database).filter(\.$state == "pending").count() == 0)
            #expect(try await OutboxRecord.query(on: harness.database).filter(\.$state == "failed").count() == 0)
            try await Self.expectOneCallPerBlock(harness)
        }
    }

    /// `liftoff reflow` killed with SIGKILL in the middle of writing, then run again.
    @Test func aReflowKilledMidwayIsFinishedByTheNextRun() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "liftoff-kill-\(UUID().uuidString).sqlite"
        ).path
        var configuration = SandboxConfiguration()
        configuration.faults.latency = .milliseconds(15)
        try await ServerHarness.run("sqlite", sandboxConfiguration: configuration, sqliteFile: file) { harness in
            let binary = try #require(Self.liftoffBinary())
            let environment = [
                "LIFTOFF_DATABASE_URL": file, "LIFTOFF_AUTOTASK_INTEGRATION_CODE": configuration.integrationCode,
                "LIFTOFF_AUTOTASK_USER": configuration.userName, "LIFTOFF_AUTOTASK_SECRET": configuration.secret,
                "LIFTOFF_AUTOTASK_DISCOVERY_URL": SandboxServer.discoveryURL(port: harness.port).absoluteString,
                // The killed process keeps the Store's lease until it expires: keep that short here.
                "LIFTOFF_REFLOW_LEASE_SECONDS": "2",
                // A scripted set-up writes from the start.
                "LIFTOFF_WRITING": "on",
                // The commands start on the test's clock, which then runs at the machine's pace.
                "LIFTOFF_NOW": RFC3339.format(CalendarReflowJob.instant(harness.now)),
            ]
            // Kill it once it has written some calls but not all.
            let process = try Self.launch(binary, ["reflow"], environment: environment)
            var writes = 0
            for _ in 0..<600 where writes < 60 {
                try await Task.sleep(for: .milliseconds(50))
                writes = await harness.sandbox.requestStatistics().writes
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(writes >= 60)
            let afterKill = await harness.sandbox.requestStatistics().writes
            try await Task.sleep(for: .seconds(3))

            // Run to completion, twice; the second must have nothing left to do.
            for _ in 0..<2 {
                let again = try Self.launch(binary, ["reflow"], environment: environment)
                again.waitUntilExit()
                #expect(again.terminationStatus == 0)
            }
            #expect(await harness.sandbox.requestStatistics().writes > afterKill)
            try await Self.expectOneCallPerBlock(harness)
        }
        try? FileManager.default.removeItem(atPath: file)
    }

    static func liftoffBinary() -> String? {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("liftoff").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("liftoff").path,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("liftoff")
                .path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func launch(_ binary: String, _ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
