import Foundation
import Metrics

/// The client's view of the tenant's hourly request budget, and its decisions about it.
///
/// It counts every request this client sends in the rolling hour and combines that with the last
/// ThresholdInformation reading (which includes every other integration's requests), so that it can
/// slow down, and then hold back less urgent work, before Autotask starts refusing calls.
actor RequestBudget {
    private let policy: BudgetPolicy
    private var sent: [Date] = []
    private var reading: (threshold: Int, count: Int, at: Date)?
    private var sinceReading = 0
    private(set) var totalRequests = 0
    private(set) var retries = 0
    /// Time spent waiting for Autotask's answers, summed over every request (overlapping ones too).
    private(set) var requestTime = Duration.zero
    private let usedGauge = Gauge(label: "autotask_budget_used_requests")
    private let thresholdGauge = Gauge(label: "autotask_budget_threshold_requests")

    init(policy: BudgetPolicy) {
        self.policy = policy
    }

    /// Requests in the rolling hour as best known, and the threshold (10,000 until read).
    func usage(now: Date = Date()) -> APIUsage {
        forget(before: now.addingTimeInterval(-3600))
        let threshold = reading?.threshold ?? 10_000
        let used = max(sent.count, (reading?.count ?? 0) + sinceReading)
        return APIUsage(
            requestsThisHour: used, threshold: threshold, requestsByThisClient: totalRequests, retries: retries,
            lastReading: reading?.at, requestTime: requestTime)
    }

    /// Whether a request of `priority` may go now: `nil` to go at once, a delay to wait first, or an
    /// error when it is held back.
    func admit(_ priority: RequestPriority, now: Date = Date()) -> Result<Duration?, AutotaskError> {
        let usage = usage(now: now)
        let share = Double(usage.requestsThisHour) / Double(max(1, usage.threshold))
        if priority < .urgent && share >= policy.pauseNormalAt
            || priority < .normal && share >= policy.pauseBackgroundAt
        {
            return .failure(.budgetReserved(used: usage.requestsThisHour, threshold: usage.threshold))
        }
        if priority < .urgent && share >= policy.slowDownAt { return .success(policy.slowDownDelay) }
        return .success(nil)
    }

    /// Counts one request sent, which took `elapsed` to answer.
    func record(now: Date = Date(), elapsed: Duration = .zero) {
        requestTime += elapsed
        sent.append(now)
        totalRequests += 1
        sinceReading += 1
        publish()
    }

    func recordRetry() {
        retries += 1
        Counter(label: "autotask_retries_total").increment()
    }

    /// Takes a ThresholdInformation reading as the new base.
    func update(with information: ThresholdInformation, now: Date = Date()) {
        reading = (information.externalRequestThreshold, information.currentTimeframeRequestCount, now)
        sinceReading = 0
        publish()
    }

    /// Whether the reading is stale enough to be worth a request: never read, read `thresholdRefreshEvery`
    /// requests ago, or more than five minutes ago (other integrations' usage changes too, and a
    /// paused client sends nothing that would otherwise trigger a new reading).
    var needsReading: Bool {
        guard let reading else { return true }
        return sinceReading >= policy.thresholdRefreshEvery || Date().timeIntervalSince(reading.at) > 300
    }

    private func forget(before cutoff: Date) {
        if let index = sent.firstIndex(where: { $0 >= cutoff }) {
            if index > 0 { sent.removeFirst(index) }
        } else {
            sent.removeAll()
        }
    }

    private func publish() {
        let usage = usage()
        usedGauge.record(usage.requestsThisHour)
        thresholdGauge.record(usage.threshold)
    }
}

/// How much of the hourly budget is used, for the settings page and `/metrics`.
public struct APIUsage: Sendable, Equatable {
    /// This client's requests in the rolling hour, or Autotask's count for the whole tenant when
    /// that is higher.
    public var requestsThisHour: Int
    public var threshold: Int
    /// Every request this client sent since it started.
    public var requestsByThisClient: Int
    public var retries: Int
    public var lastReading: Date?
    /// Time spent waiting for answers, summed over every request: what a job subtracts from its wall
    /// time to see its own work ("API time aside").
    public var requestTime: Duration = .zero
}
