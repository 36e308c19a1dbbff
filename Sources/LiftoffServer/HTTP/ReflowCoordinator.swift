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
    private var soon: Task<Void, Never>?
    private var stopped = false

    public init(job: CalendarReflowJob, logger: Logger) {
        self.job = job
        self.logger = logger
    }

    /// Runs a reflow now, or joins the one already running (a full import asked for while an
    /// incremental run is going waits for it, then runs its own).
    public func run(trigger: String, fullImport: Bool = false) async throws -> CalendarReflowJob.Summary {
        guard !stopped else { throw CancellationError() }
        if let running {
            let joined = try await running.value
            if !fullImport || joined.fullImport { return joined }
            return try await run(trigger: trigger, fullImport: true)
        }
        let task = Task { try await job.run(trigger: trigger, fullImport: fullImport) }
        running = task
        defer { running = nil }
        return try await task.value
    }

    /// Runs a reflow shortly, once however many changes ask for one in the meantime: Workboard
    /// actions and settings changes move blocks, and the PSA calendar should follow within seconds.
    public func requestSoon(after delay: Duration = .seconds(5)) {
        guard soon == nil, !stopped else { return }
        let request = Task {
            do {
                try await Task.sleep(for: delay)
            } catch {
                return  // cancelled: shutting down, or the connection changed
            }
            self.clearSoon()
            do {
                _ = try await self.run(trigger: "change")
            } catch is ReflowBusy {
                // Another process is reflowing; it or the next scheduled run picks the change up.
            } catch {
                self.logger.warning("calendar reflow after a change failed", metadata: ["error": "\(error)"])
            }
        }
        soon = request
    }

    private func clearSoon() { soon = nil }

    /// Stops a reflow requested with ``requestSoon(after:)`` that has not started yet.
    public func cancelPending() {
        soon?.cancel()
        soon = nil
    }

    /// Stops for good: no new runs, the requested one dropped, and the one under way cancelled and
    /// waited for, so nothing writes after shutdown (the reflow lease is released on the way out).
    public func stop() async {
        stopped = true
        cancelPending()
        if let running {
            running.cancel()
            _ = try? await running.value
        }
    }

    /// Runs a reflow every `minutes` until the task is cancelled.
    public func schedule(every minutes: Int) async {
        while !Task.isCancelled, !stopped {
            do {
                _ = try await run(trigger: "schedule")
            } catch is CancellationError {
                return
            } catch {
                logger.error("scheduled calendar reflow failed", metadata: ["error": "\(error)"])
            }
            do {
                try await Task.sleep(for: .seconds(minutes * 60))
            } catch {
                return
            }
        }
    }
}
