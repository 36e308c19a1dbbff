import AutotaskSandbox
import Fluent
import Foundation
import LiftoffCore
import SQLKit
import Testing
import VaporTesting

@testable import LiftoffServer

/// The Store on each database, and the API routes sync needs.
@Suite(.serialized) struct StoreAndAPITests {
    @Test(arguments: TestDatabases.all)
    func recordsRoundTripAndMarkersAreUnique(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            let db = harness.database
            let link = ServiceCallLinkRecord()
            link.marker = "c0ffee42"
            link.resourceID = 1
            link.ticketID = 2
            link.activityID = "NA-2-1"
            link.part = 1
            link.parts = 2
            link.start = Date(timeIntervalSince1970: 1_773_151_200)
            link.end = Date(timeIntervalSince1970: 1_773_154_800)
            link.isComplete = false
            link.state = "pending"
            try await link.save(on: db)
            let loaded = try await ServiceCallLinkRecord.query(on: db).filter(\.$marker == "c0ffee42").first()
            #expect(loaded?.start == link.start)
            #expect(loaded?.serviceCallID == nil)
            // A marker names one create: the database refuses a second link with it.
            let twin = ServiceCallLinkRecord()
            (twin.marker, twin.resourceID, twin.ticketID, twin.activityID) = ("c0ffee42", 1, 2, "NA-2-1")
            (twin.part, twin.parts, twin.start, twin.end, twin.isComplete, twin.state) = (
                2, 2, link.start, link.end, false, "pending"
            )
            await #expect(throws: (any Error).self) { try await twin.save(on: db) }

            try await SettingsStore.set(SettingsStore.siteKey, #"{"alignmentMinutes": 15}"#, on: db)
            try await SettingsStore.set(SettingsStore.siteKey, #"{"alignmentMinutes": 30}"#, on: db)
            #expect(try await SettingsStore.get(SettingsStore.siteKey, on: db) == #"{"alignmentMinutes": 30}"#)
            // Migrating again changes nothing.
            try await harness.app.autoMigrate()
            #expect(try await ServiceCallLinkRecord.query(on: db).count() == 1)
        }
    }

    @Test(arguments: TestDatabases.all)
    func theAPIValidatesWhatItStores(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let app = harness.app
            let auth: HTTPHeaders = ["Authorization": "Bearer t0ken", "Content-Type": "application/json"]
            let ticket = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$isOpen == true).first())
            let technician = try #require(try await TechnicianRecord.query(on: harness.database).first())

            try await app.testing().test(.GET, "health") { response in #expect(response.status == .ok) }
            try await app.testing().test(.GET, "api/v1/activities") { response in
                #expect(response.status == .unauthorized)
            }
            try await app.testing().test(
                .POST, "api/v1/activities", headers: auth,
                body: ByteBuffer(
                    string:
                        #"{"ticketId": \#(ticket.ticketID), "technicianId": \#(technician.resourceID), "durationMinutes": 45}"#
                )
            ) { response in
                #expect(response.status == .created)
                // Numbers as JSON numbers, an unset instant as null (issue 12: they were strings).
                let answer = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any]
                #expect(answer?["durationMinutes"] as? Int == 45)
                #expect(answer?["ticketId"] as? Int == ticket.ticketID)
                #expect(answer?["technicianId"] as? Int == technician.resourceID)
                #expect(answer?["sleepUntil"] is NSNull)
            }
            try await app.testing().test(.GET, "api/v1/reflow/runs", headers: auth) { response in
                let runs = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [[String: Any]]
                let run = try #require(runs?.first)
                #expect((run["created"] as? Int ?? 0) > 100, "counts are numbers: \(run)")
                #expect(run["apiRequests"] is Int)
                #expect(run["changes"] is [String])
                #expect(run["error"] is NSNull)
            }
            try await app.testing().test(
                .POST, "api/v1/activities", headers: auth,
                body: ByteBuffer(
                    string: #"{"ticketId": 1, "technicianId": \#(technician.resourceID), "durationMinutes": 45}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("ticket 1 is not imported"))
            }
            try await app.testing().test(
                .PUT, "api/v1/settings/site", headers: auth, body: ByteBuffer(string: #"{"alignmentMinutes": 7}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("alignmentMinutes must be one of"))
            }
            try await app.testing().test(
                .PUT, "api/v1/settings/site", headers: auth,
                body: ByteBuffer(string: #"{"minMinutesFreeBetweenActivities": 30}"#)
            ) { response in #expect(response.status == .ok) }
            try await app.testing().test(
                .PUT, "api/v1/settings/technicians/\(technician.resourceID)", headers: auth,
                body: ByteBuffer(string: #"{"horizonDays": 400}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("technician \(technician.resourceID): settings: horizonDays"))
            }
            try await app.testing().test(
                .PUT, "api/v1/settings/technicians/\(technician.resourceID)", headers: auth,
                body: ByteBuffer(string: #"{"alignmentMinutes": 30}"#)
            ) { response in #expect(response.status == .ok) }
            #expect(
                try await SettingsStore.get(SettingsStore.technicianKey(technician.resourceID), on: harness.database)
                    == #"{"alignmentMinutes":30}"#)
            try await app.testing().test(
                .PUT, "api/v1/settings/technicians/1", headers: auth, body: ByteBuffer(string: "{}")
            ) { response in #expect(response.status == .notFound) }
            let example = try String(
                contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                    "../../examples/problem.json"),
                encoding: .utf8)
            try await app.testing().test(.POST, "api/v1/plan", headers: auth, body: ByteBuffer(string: example)) {
                response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""start": "2026-03-06T15:30:00Z""#))
            }
            try await app.testing().test(.POST, "api/v1/plan", headers: auth, body: ByteBuffer(string: "{")) {
                response in
                #expect(response.status == .badRequest)
            }
            try await app.testing().test(.POST, "api/v1/reflow", headers: auth) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains(#""outcome":"succeeded""#))
            }
            // A run stopped under the request (the connection was saved meanwhile, or shutdown) is a
            // 503 that says to run it again, not a server error (found by the API fuzzing).
            let coordinator = try #require(await harness.runtime?.connection.coordinator)
            await coordinator.stop()
            try await app.testing().test(.POST, "api/v1/reflow", headers: auth) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.body.string.contains("stopped before it finished"))
            }
        }
    }

    @Test func configurationComesFromFlagsOrTheEnvironment() throws {
        let environment = [
            "LIFTOFF_DATABASE_URL": "postgres://a:b@db/liftoff", "LIFTOFF_AUTOTASK_INTEGRATION_CODE": "CODE",
            "LIFTOFF_AUTOTASK_USER": "api@msp.example", "LIFTOFF_AUTOTASK_SECRET": "s3cret",
            "LIFTOFF_AUTOTASK_DISCOVERY_URL": "http://127.0.0.1:8089/atservicesrest/", "LIFTOFF_REFLOW_MINUTES": "15",
        ]
        let configuration = try LiftoffConfiguration.resolve(environment: environment)
        #expect(configuration.database == .postgres("postgres://a:b@db/liftoff"))
        #expect(configuration.autotask?.discoveryURL.absoluteString == "http://127.0.0.1:8089/atservicesrest/")
        #expect(configuration.reflowIntervalMinutes == 15)
        let flags = try LiftoffConfiguration.resolve(
            databaseURL: "sqlite:/tmp/x.sqlite", reflowMinutes: 5, environment: environment)
        #expect(flags.database == .sqliteFile("/tmp/x.sqlite"))
        #expect(flags.reflowIntervalMinutes == 5)
        #expect(try LiftoffConfiguration.resolve(environment: [:]).autotask == nil)
        #expect(try LiftoffConfiguration.resolve(environment: [:]).database == .sqliteFile("liftoff.sqlite"))
        #expect(throws: ConfigurationError.self) {
            try LiftoffConfiguration.resolve(reflowMinutes: 2, environment: [:])
        }
        #expect(throws: ConfigurationError.self) {
            try LiftoffConfiguration.resolve(environment: ["LIFTOFF_AUTOTASK_USER": "only-the-user"])
        }
        #expect(throws: ConfigurationError.self) {
            try LiftoffConfiguration.resolve(databaseURL: "mysql://x", environment: [:])
        }
    }
}

/// One reflow at a time across processes sharing a Store.
@Suite(.serialized) struct ReflowLeaseTests {
    /// Expiry is the database's: the test's clock (pinned) plays no part, real seconds do.
    @Test(arguments: TestDatabases.all)
    func oneHolderAtATimeUntilItExpiresOrIsReleased(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            let first = ReflowLease(database: harness.database, holder: "first")
            let second = ReflowLease(database: harness.database, holder: "second")
            #expect(try await first.acquire(for: 0.6))
            #expect(try await first.acquire(for: 0.6), "renewing one's own lease")
            #expect(try await second.acquire(for: 0.6) == false)
            try await Task.sleep(for: .milliseconds(900))
            #expect(try await second.acquire(for: 60), "an expired lease is taken over")
            #expect(try await first.acquire(for: 60) == false)
            try await first.release()
            #expect(try await ReflowLease.holder(on: harness.database) == "second", "release clears only one's own")
            try await second.release()
            #expect(try await ReflowLease.holder(on: harness.database) == nil)
            #expect(try await first.acquire(for: 60))
        }
    }

    /// Fencing: a run whose lease another process took stops before its next write.
    @Test(arguments: TestDatabases.all)
    func aRunThatLosesItsLeaseStopsWriting(_ database: String) async throws {
        var configuration = SandboxConfiguration()
        configuration.faults.latency = .milliseconds(15)
        try await ServerHarness.run(database, sandboxConfiguration: configuration) { harness in
            // Thirty seconds: the takeover below is seen before the next write (every write confirms the
            // lease), not at a renewal, so the lease can be long enough that a loaded machine (every
            // suite at once on two cores) never starves the heartbeat into losing it by itself.
            let job = CalendarReflowJob(
                client: harness.client, database: harness.database, logger: harness.app.logger, leaseDuration: 30,
                clock: harness.clock.clock)
            let run = Task { try await job.run(trigger: "test", fullImport: true) }
            var writes = 0
            // Up to two minutes: with every suite running at once on two cores, the import alone is slow.
            for _ in 0..<4800 where writes < 5 {
                try await Task.sleep(for: .milliseconds(25))
                writes = await harness.sandbox.requestStatistics().writes
            }
            #expect(writes >= 5, "the run never started writing")
            // Another process takes the lease over (as if this one's had expired).
            try await (harness.database as! any SQLDatabase).raw(
                "UPDATE reflow_leases SET holder = 'another process'"
            ).run()
            let writesAtTakeover = await harness.sandbox.requestStatistics().writes
            let result = await run.result
            guard case .failure(let error) = result, error is ReflowLeaseLost else {
                Issue.record("expected ReflowLeaseLost, got \(result)")
                return
            }
            // The lease is confirmed before every entry is sent, so at most the entry already past that
            // check lands: a create is three writes (the call and its two links). Waited for, so a
            // request still on the wire on a loaded machine is counted too.
            try await Task.sleep(for: .seconds(1))
            let writesWhenStopped = await harness.sandbox.requestStatistics().writes
            #expect(writesWhenStopped - writesAtTakeover <= 3, "it wrote after the takeover")
            try await Task.sleep(for: .milliseconds(600))
            #expect(await harness.sandbox.requestStatistics().writes == writesWhenStopped, "it wrote after stopping")
            #expect(try await OutboxRecord.query(on: harness.database).filter(\.$state == "pending").count() > 0)
            #expect(
                try await ReflowLease.holder(on: harness.database) == "another process", "it kept the other's lease")
        }
    }

    @Test(arguments: TestDatabases.all)
    func aSecondReflowOnTheSameStoreIsRefusedAsBusyWhileTheFirstRuns(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            let other = CalendarReflowJob(
                client: harness.client, database: harness.database, logger: harness.app.logger,
                clock: harness.clock.clock)
            async let one = Result(catching: { try await harness.job.run(trigger: "test", fullImport: true) })
            async let two = Result(catching: { try await other.run(trigger: "test", fullImport: true) })
            let results = await [one, two]
            let busy = results.filter { if case .failure(let error) = $0 { error is ReflowBusy } else { false } }
            #expect(busy.count == 1)
            #expect(results.contains { if case .success(let summary) = $0 { summary.created > 100 } else { false } })
            let quiet = try await other.run(trigger: "test")
            #expect(quiet.created + quiet.moved + quiet.removed == 0)
            try await ReflowFaultTests.expectOneCallPerBlock(harness)
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
