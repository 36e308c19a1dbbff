import AutotaskAPI
import Foundation
import Logging

/// Runs Calendar Reflow one at a time — on a schedule and on demand — so two runs never race to
/// write the same service calls. (Several instances on one PostgreSQL must also agree on one runner;
/// see docs/sync.md.)
public actor ReflowCoordinator {
    private let job: CalendarReflowJob
    private let logger: Logger
    private var running: Task<CalendarReflowJob.Summary, Error>?
    private(set) var lastSummary: CalendarReflowJob.Summary?
    private var soon: Task<Void, Never>?

    public init(job: CalendarReflowJob, logger: Logger) {
        self.job = job
        self.logger = logger
    }

    /// Runs a reflow now, or joins the one already running.
    public func run(trigger: String, fullImport: Bool = false) async throws -> CalendarReflowJob.Summary {
        if let running { return try await running.value }
        let task = Task { try await job.run(trigger: trigger, fullImport: fullImport) }
        running = task
        defer { running = nil }
        let summary = try await task.value
        lastSummary = summary
        return summary
    }

    /// Runs a reflow shortly, once however many changes ask for one in the meantime: Workboard
    /// actions and settings changes move blocks, and the PSA calendar should follow within seconds.
    public func requestSoon(after delay: Duration = .seconds(5)) {
        guard soon == nil else { return }
        soon = Task {
            try? await Task.sleep(for: delay)
            self.clearSoon()
            do {
                _ = try await self.run(trigger: "change")
            } catch is ReflowBusy {
                // Another process is reflowing; it or the next scheduled run picks the change up.
            } catch {
                self.logger.warning("calendar reflow after a change failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func clearSoon() { soon = nil }

    /// Stops a reflow requested with ``requestSoon(after:)`` that has not started yet.
    public func cancelPending() {
        soon?.cancel()
        soon = nil
    }

    /// Runs a reflow every `minutes` until the task is cancelled.
    public func schedule(every minutes: Int) async {
        while !Task.isCancelled {
            do {
                _ = try await run(trigger: "schedule")
            } catch {
                logger.error("scheduled calendar reflow failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(minutes * 60))
        }
    }
}
