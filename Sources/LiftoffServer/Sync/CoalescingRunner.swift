/// Runs a piece of work when pulled: one run at a time, and once more when pulled during a run, so
/// whatever arrived meanwhile is handled without waiting for the next pull — and a burst of pulls
/// costs two runs, not one each. The ticket outbox and the booking mailer drain through it.
actor CoalescingRunner {
    private let work: @Sendable () async -> Void
    private var running: Task<Void, Never>?
    private var again = false
    private var stopped = false

    init(_ work: @escaping @Sendable () async -> Void) {
        self.work = work
    }

    func pull() {
        guard !stopped else { return }
        guard running == nil else {
            again = true
            return
        }
        running = Task {
            await work()
            finished()
        }
    }

    private func finished() {
        running = nil
        if again {
            again = false
            pull()
        }
    }

    /// Cancels the run under way, waits for it to end, and takes no more pulls.
    func stop() async {
        stopped = true
        if let running {
            running.cancel()
            await running.value
        }
        running = nil
    }
}
