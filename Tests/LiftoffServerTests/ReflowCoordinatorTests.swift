import Foundation
import Logging
import Testing

@testable import LiftoffServer

/// A reflow asked for while another runs gets a run of its own that begins after it (issue 9: the
/// answer to `POST /api/v1/reflow` after a settings change showed the run that began before it).
@Suite struct ReflowCoordinatorTests {
    /// Stands in for the reflow job: records each run and holds the first until released.
    actor FakeReflow {
        private(set) var runs: [(trigger: String, fullImport: Bool)] = []
        private var held: CheckedContinuation<Void, Never>?
        private var holdsFirst = true
        private var underWay = 0
        /// The most runs ever under way at once: one process must never overlap two.
        private(set) var mostAtOnce = 0

        func run(trigger: String, fullImport: Bool) async -> CalendarReflowJob.Summary {
            runs.append((trigger, fullImport))
            underWay += 1
            mostAtOnce = max(mostAtOnce, underWay)
            defer { underWay -= 1 }
            if holdsFirst {
                holdsFirst = false
                await withCheckedContinuation { held = $0 }
            } else {
                await Task.yield()
            }
            return CalendarReflowJob.Summary(
                runID: UUID(), outcome: "succeeded", fullImport: fullImport, created: 0, moved: 0, removed: 0,
                unscheduled: 0, pendingWrites: 0, apiRequests: 0, changes: ["run \(runs.count)"])
        }

        var isHolding: Bool { held != nil }

        func release() {
            held?.resume()
            held = nil
        }
    }

    /// A coordinator whose runs are `fake`'s.
    static func coordinator(running fake: FakeReflow) -> ReflowCoordinator {
        ReflowCoordinator(logger: Logger(label: "test")) { trigger, fullImport in
            await fake.run(trigger: trigger, fullImport: fullImport)
        }
    }

    static func waitUntil(_ condition: () async -> Bool) async throws {
        for _ in 0..<2_000 where !(await condition()) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await condition(), "timed out waiting")
    }

    @Test func requestsMadeDuringARunShareOneRunThatBeginsAfterIt() async throws {
        let fake = FakeReflow()
        let coordinator = Self.coordinator(running: fake)
        let first = Task { try await coordinator.run(trigger: "schedule") }
        try await Self.waitUntil { await fake.isHolding }
        let second = Task { try await coordinator.run(trigger: "api") }
        try await Self.waitUntil { await coordinator.hasQueuedRun }
        let third = Task { try await coordinator.run(trigger: "api", fullImport: true) }
        // The third request joins the queued run (nothing starts while the first is held).
        try await Task.sleep(for: .milliseconds(50))
        #expect(await fake.runs.count == 1)
        await fake.release()
        let (a, b, c) = try await (first.value, second.value, third.value)
        #expect(a.changes == ["run 1"])
        #expect(b.runID != a.runID && b.changes == ["run 2"])
        #expect(c.runID == b.runID, "requests made during one run share the next")
        #expect(b.fullImport, "a full import asked for by any waiting request is done")
        #expect(await fake.runs.count == 2)
    }

    @Test func aRunAfterAChangeFollowsTheRunUnderWay() async throws {
        let fake = FakeReflow()
        let coordinator = Self.coordinator(running: fake)
        let first = Task { try await coordinator.run(trigger: "schedule") }
        try await Self.waitUntil { await fake.isHolding }
        await coordinator.requestSoon(after: .milliseconds(1))
        try await Self.waitUntil { await coordinator.hasQueuedRun }
        await fake.release()
        _ = try await first.value
        try await Self.waitUntil { await fake.runs.count == 2 }
        #expect(await fake.runs.map(\.trigger) == ["schedule", "change"])
    }

    @Test func withNoRunUnderWayARequestRunsAtOnce() async throws {
        let fake = FakeReflow()
        let coordinator = Self.coordinator(running: fake)
        let held = Task { try await coordinator.run(trigger: "first") }
        try await Self.waitUntil { await fake.isHolding }
        await fake.release()
        _ = try await held.value
        let summary = try await coordinator.run(trigger: "api")
        #expect(summary.changes == ["run 2"])
        #expect(await !coordinator.hasQueuedRun)
    }

    @Test func manyRequestsAroundARunNeverOverlapTwoRuns() async throws {
        let fake = FakeReflow()
        let coordinator = Self.coordinator(running: fake)
        let first = Task { try await coordinator.run(trigger: "schedule") }
        try await Self.waitUntil { await fake.isHolding }
        let requests = (0..<20).map { index in
            Task {
                if index % 5 == 0 { try await Task.sleep(for: .milliseconds(index)) }
                return try await coordinator.run(trigger: "api")
            }
        }
        try await Task.sleep(for: .milliseconds(20))
        await fake.release()
        _ = try await first.value
        for request in requests { _ = try await request.value }
        #expect(await fake.mostAtOnce == 1)
        #expect(await fake.runs.count < 21, "requests share queued runs")
    }

    @Test func aScheduledRunJoinsTheRunUnderWay() async throws {
        let fake = FakeReflow()
        let coordinator = Self.coordinator(running: fake)
        let first = Task { try await coordinator.run(trigger: "api") }
        try await Self.waitUntil { await fake.isHolding }
        let scheduled = Task { try await coordinator.runOnSchedule() }
        try await Task.sleep(for: .milliseconds(20))
        await fake.release()
        let (a, b) = try await (first.value, scheduled.value)
        #expect(a.runID == b.runID)
        #expect(await fake.runs.count == 1)
    }

    @Test func stoppingDropsTheQueuedRun() async throws {
        let fake = FakeReflow()
        let coordinator = Self.coordinator(running: fake)
        let first = Task { try await coordinator.run(trigger: "api") }
        try await Self.waitUntil { await fake.isHolding }
        let queued = Task { try await coordinator.run(trigger: "api") }
        try await Self.waitUntil { await coordinator.hasQueuedRun }
        let stopping = Task { await coordinator.stop() }
        try await Task.sleep(for: .milliseconds(20))
        await fake.release()
        await stopping.value
        _ = try? await first.value
        await #expect(throws: CancellationError.self) { try await queued.value }
        #expect(await fake.runs.count == 1, "nothing runs after stop")
    }

    /// Keeps the messages logged at warning or above.
    final class WarningLog: LogHandler, @unchecked Sendable {
        private let lock = NSLock()
        private var kept: [String] = []
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            guard event.level >= .warning else { return }
            let error = event.metadata?["error"].map { ": \($0)" } ?? ""
            lock.withLock { kept.append("\(event.message)\(error)") }
        }

        var warnings: [String] { lock.withLock { kept } }
    }

    /// Stopping the server cancels a run asked for after a change: nothing went wrong, so nothing is
    /// said at warning level (it read "calendar reflow after a change failed: CancellationError()").
    /// Any other failure is still a warning. A second change whose run fails follows, so the test
    /// waits for a warning it knows must come rather than for a fixed time.
    @Test(arguments: [true, false])
    func aRunAfterAChangeCancelledByShutdownIsNoWarning(cancelled: Bool) async throws {
        let log = WarningLog()
        let runs = Runs()
        let coordinator = ReflowCoordinator(logger: Logger(label: "test") { _ in log }) { _, _ in
            let run = await runs.add()
            if run == 1 && cancelled { throw CancellationError() }
            throw ReflowTestFailure()
        }
        await coordinator.requestSoon(after: .milliseconds(1))
        try await Self.waitUntil { await runs.count == 1 }
        await coordinator.requestSoon(after: .milliseconds(1))
        try await Self.waitUntil { await runs.count == 2 }
        // The second run's warning comes last: once it is there, the first run's would be too.
        let failed = "calendar reflow after a change failed: ReflowTestFailure()"
        try await Self.waitUntil { log.warnings.filter { $0 == failed }.count == (cancelled ? 1 : 2) }
        #expect(log.warnings == Array(repeating: failed, count: cancelled ? 1 : 2))
    }

    actor Runs {
        private(set) var count = 0
        func add() -> Int {
            count += 1
            return count
        }
    }

    struct ReflowTestFailure: Error {}
}
