import AutotaskAPI
import Foundation
import Logging

/// Runs Calendar Reflow one at a time — on a schedule and on demand — so two runs never race to
/// write the same service calls. (Several instances on one PostgreSQL must also agree on one runner;
/// see docs/sync.md.)
public actor ReflowCoordinator {
    typealias Runner = @Sendable (_ trigger: String, _ fullImport: Bool) async throws -> CalendarReflowJob.Summary

    private let runner: Runner
    private let logger: Logger
    private var running: Task<CalendarReflowJob.Summary, Error>?
    /// The run that follows the one under way, shared by every request made meanwhile.
    private var queued: Task<CalendarReflowJob.Summary, Error>?
    private var queuedFullImport = false
    private var soon: Task<Void, Never>?
    private var stopped = false

    public init(job: CalendarReflowJob, logger: Logger) {
        self.init(logger: logger) { trigger, fullImport in try await job.run(trigger: trigger, fullImport: fullImport) }
    }

    init(logger: Logger, runner: @escaping Runner) {
        self.runner = runner
        self.logger = logger
    }

    /// Runs a reflow now and answers with it.
    ///
    /// A request made while a run is under way gets a run of its own after that one, never the
    /// one that began before it: the request may follow a change (a setting, a Workboard action)
    /// that the earlier run did not see. Requests made meanwhile share that one queued run (a full
    /// import if any of them asked for one), so at most one run waits.
    public func run(trigger: String, fullImport: Bool = false) async throws -> CalendarReflowJob.Summary {
        guard !stopped else { throw CancellationError() }
        // A queued run has not begun yet: it will see this request's change too. (Between the end
        // of one run and the start of the queued one, `running` may already be nil.)
        if let queued {
            queuedFullImport = queuedFullImport || fullImport
            return try await queued.value
        }
        guard let previous = running else { return try await start(trigger: trigger, fullImport: fullImport) }
        queuedFullImport = fullImport
        let next = Task {
            _ = try? await previous.value
            return try await self.startQueued(trigger: trigger)
        }
        queued = next
        return try await next.value
    }

    /// Whether a run waits for the one under way (for tests and the Settings page).
    var hasQueuedRun: Bool { queued != nil }

    private func startQueued(trigger: String) async throws -> CalendarReflowJob.Summary {
        let fullImport = queuedFullImport
        queued = nil
        queuedFullImport = false
        guard !stopped else { throw CancellationError() }
        return try await start(trigger: trigger, fullImport: fullImport)
    }

    private func start(trigger: String, fullImport: Bool) async throws -> CalendarReflowJob.Summary {
        let runner = runner
        let task = Task { try await runner(trigger, fullImport) }
        running = task
        defer { if running == task { running = nil } }
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
            } catch is CancellationError {
                // Shutting down, or the connection changed while it ran: nothing went wrong.
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

    /// What a request that asked for a run hears when this coordinator stopped under it: saving the
    /// Autotask connection replaces the coordinator (and stops the old one), as does shutting down.
    static let stoppedReason =
        "the reflow was stopped before it finished: the Autotask connection was just changed, or the server "
        + "is stopping. Run it again."

    /// Stops for good: no new runs, the requested one dropped, and the one under way cancelled and
    /// waited for, so nothing writes after shutdown (the reflow lease is released on the way out).
    public func stop() async {
        stopped = true
        cancelPending()
        queued?.cancel()
        if let running {
            running.cancel()
            _ = try? await running.value
        }
    }

    /// Runs a reflow now, or joins the one under way: a scheduled run follows no change of its own,
    /// so any run that is going does its job.
    func runOnSchedule() async throws -> CalendarReflowJob.Summary {
        guard !stopped else { throw CancellationError() }
        if let running { return try await running.value }
        return try await run(trigger: "schedule")
    }

    /// Runs a reflow every `minutes` until the task is cancelled.
    public func schedule(every minutes: Int) async {
        while !Task.isCancelled, !stopped {
            do {
                _ = try await runOnSchedule()
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
