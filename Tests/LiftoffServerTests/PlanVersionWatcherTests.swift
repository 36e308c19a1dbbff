import Foundation
import Testing

@testable import LiftoffServer

/// A plan change reaches the watcher: pushed by PostgreSQL's NOTIFY, read every second on SQLite.
@Suite struct PlanVersionWatcherTests {
    /// The first reading that is not `old`, or nil after `seconds`.
    static func next(after old: String, in readings: AsyncStream<String>, within seconds: Double) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                for await reading in readings where reading != old { return reading }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test(arguments: TestDatabases.all)
    func aChangeReachesTheWatcher(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            try await PlanVersion.ensure(on: harness.database)
            let url = try harness.postgresDatabase.map { name in
                ServerHarness.url(
                    try #require(ProcessInfo.processInfo.environment["LIFTOFF_TEST_POSTGRES_URL"]), database: name)
            }
            // With a safety read only every ten minutes, on PostgreSQL only NOTIFY can bring the change.
            let watcher = PlanVersionWatcher(
                database: harness.database, logger: harness.app.logger, postgresURL: url,
                safetyInterval: .seconds(600))
            let readings = await watcher.readings()
            let old = try await PlanVersion.current(on: harness.database)
            if url != nil {
                for _ in 0..<100 where await !watcher.isListening { try await Task.sleep(for: .milliseconds(100)) }
                #expect(await watcher.isListening, "the LISTEN connection never came up")
                // Past the poll's last tick before it saw the listener up.
                try await Task.sleep(for: .milliseconds(1500))
            }
            let stamp = try await harness.database.transaction {
                try await PlanVersion.bump(on: $0, technician: 7)
            }
            let seen = await Self.next(after: old, in: readings, within: 5)
            #expect(seen == stamp)
            await watcher.stop()
        }
    }
}
