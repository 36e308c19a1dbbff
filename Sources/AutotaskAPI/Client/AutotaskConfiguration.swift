import Foundation

/// How to reach one Autotask tenant, and how gently to treat its API budget.
public struct AutotaskConfiguration: Sendable {
    /// Autotask's own zone-discovery base; any Autotask-compatible server (such as `liftoff sandbox`)
    /// works by pointing this elsewhere.
    public static let autotaskDiscoveryURL = URL(string: "https://webservices.autotask.net/atservicesrest/")!

    /// The integration's API tracking identifier (`ApiIntegrationCode`).
    public var integrationCode: String
    /// The API-only user's name (`UserName`), which also selects the zone.
    public var userName: String
    public var secret: String
    /// Where zone discovery is asked: `{discoveryURL}v1.0/zoneInformation?user=…`.
    public var discoveryURL: URL
    /// Optional resource id to impersonate on writes (`ImpersonationResourceId`).
    public var impersonationResourceID: Int?
    /// How long one HTTP request may take before it counts as timed out.
    public var requestTimeout: Duration
    /// Concurrent requests per endpoint; Autotask refuses a fourth for integrations made after 2023.1.
    public var maximumConcurrentRequestsPerEndpoint: Int
    public var retry: RetryPolicy
    public var budget: BudgetPolicy

    public init(
        integrationCode: String, userName: String, secret: String,
        discoveryURL: URL = AutotaskConfiguration.autotaskDiscoveryURL, impersonationResourceID: Int? = nil,
        requestTimeout: Duration = .seconds(30), maximumConcurrentRequestsPerEndpoint: Int = 3,
        retry: RetryPolicy = RetryPolicy(), budget: BudgetPolicy = BudgetPolicy()
    ) {
        self.integrationCode = integrationCode
        self.userName = userName
        self.secret = secret
        self.discoveryURL = discoveryURL
        self.impersonationResourceID = impersonationResourceID
        self.requestTimeout = requestTimeout
        self.maximumConcurrentRequestsPerEndpoint = maximumConcurrentRequestsPerEndpoint
        self.retry = retry
        self.budget = budget
    }
}

/// When to retry and how long to wait: jittered exponential backoff.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maximumAttempts: Int
    public var baseDelay: Duration
    public var maximumDelay: Duration

    public init(
        maximumAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30)
    ) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1): a uniformly random share of
    /// `base × 2^(attempt−1)`, capped — "full jitter", so that clients that failed together do not
    /// come back together.
    public func delay(afterAttempt attempt: Int, randomUnit: Double) -> Duration {
        let exponential = baseDelay * Int(pow(2.0, Double(min(attempt - 1, 20))))
        let capped = min(exponential, maximumDelay)
        return capped * max(0, min(1, randomUnit))
    }
}

/// How the client shares the tenant's hourly request budget with every other integration.
///
/// Below `slowDownAt` everything runs freely. From there, normal and background requests wait
/// `slowDownDelay` each (Autotask itself starts adding latency near half of the budget). From
/// `pauseBackgroundAt`, background work (full imports) is refused with ``AutotaskError/budgetReserved``
/// so it can be deferred; from `pauseNormalAt`, normal work is too, and the rest is kept for urgent
/// requests such as a technician starting an activity.
public struct BudgetPolicy: Sendable {
    public var slowDownAt: Double
    public var slowDownDelay: Duration
    public var pauseBackgroundAt: Double
    public var pauseNormalAt: Double
    /// Re-read ThresholdInformation after this many requests of our own (it costs one request).
    public var thresholdRefreshEvery: Int

    public init(
        slowDownAt: Double = 0.5, slowDownDelay: Duration = .milliseconds(250), pauseBackgroundAt: Double = 0.8,
        pauseNormalAt: Double = 0.95, thresholdRefreshEvery: Int = 200
    ) {
        self.slowDownAt = slowDownAt
        self.slowDownDelay = slowDownDelay
        self.pauseBackgroundAt = pauseBackgroundAt
        self.pauseNormalAt = pauseNormalAt
        self.thresholdRefreshEvery = thresholdRefreshEvery
    }
}

/// How much a request matters when the budget runs short.
public enum RequestPriority: Int, Sendable, Comparable {
    /// Deferrable bulk work: full imports.
    case background
    /// Routine work: incremental imports, reflow writes.
    case normal
    /// Someone is waiting: a technician's action, a dispatcher's "Reflow now".
    case urgent

    public static func < (lhs: RequestPriority, rhs: RequestPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}
