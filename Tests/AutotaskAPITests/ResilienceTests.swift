import AutotaskAPI
import AutotaskSandbox
import CoreMetrics
import Foundation
import LiftoffCore
import MetricsTestKit
import Testing

/// Retries, limits and the budget, with the sandbox misbehaving on purpose.
@Suite struct ResilienceTests {
    static let marker = "[liftoff:resilience]"

    static func serviceCall(_ marker: String) -> ServiceCall {
        let start = Date(timeIntervalSince1970: 1_773_151_200)
        return ServiceCall(
            companyID: 174, description: marker, startDateTime: start, endDateTime: start.addingTimeInterval(3600),
            status: 1)
    }

    static func calls(_ harness: SandboxHarness, _ marker: String) async throws -> [ServiceCall] {
        try await harness.client.query(ServiceCall.self, filter: [.contains("description", marker)], priority: .urgent)
    }

    @Test(arguments: [SandboxFault.serverError, .threadLimit])
    func readsAreRetriedAfterTransientFailures(_ fault: SandboxFault) async throws {
        let harness = try await SandboxHarness.start()
        await harness.sandbox.inject(fault, method: "POST", entity: "Tickets")
        let tickets = try await harness.client.query(Ticket.self, filter: [.eq("companyID", 174)])
        #expect(tickets.count == 3)
        #expect(await harness.client.usage().retries == 1)
        #expect(await harness.sleeps.durations.count == 1)
        await harness.stop()
    }

    /// Discovery is sent before the request itself, so its failure is retried even ahead of a create:
    /// nothing of the create has left yet. A failed first discovery once failed a whole test run.
    @Test(arguments: [SandboxFault.serverError, .dropAfterWrite])
    func aFailedDiscoveryIsRetriedBeforeAReadOrACreate(_ fault: SandboxFault) async throws {
        let harness = try await SandboxHarness.start()
        await harness.sandbox.inject(fault, method: "GET", entity: "zoneinformation")
        let id = try await harness.client.create(Self.serviceCall(Self.marker))
        #expect(await harness.client.usage().retries == 1)
        #expect(await harness.sleeps.durations.count == 1)
        #expect(try await Self.calls(harness, Self.marker).map(\.id) == [id], "the create happened once")
        await harness.stop()
    }

    /// A discovery that keeps failing ends in the error after the policy's attempts, not in a hang.
    @Test func aDiscoveryThatKeepsFailingEndsAfterThePolicysAttempts() async throws {
        let harness = try await SandboxHarness.start()
        for _ in 0..<5 { await harness.sandbox.inject(.serverError, method: "GET", entity: "zoneinformation") }
        do {
            _ = try await harness.client.query(Ticket.self, filter: [.eq("companyID", 174)])
            Issue.record("five failed discoveries were reported as success")
        } catch {
            guard case .unexpectedResponse(let status, _) = error else {
                Issue.record("expected the discovery's 500, got \(error)")
                return
            }
            #expect(status == 500)
        }
        #expect(await harness.client.usage().retries == 4)
        await harness.stop()
    }

    /// A failed discovery does not use up the request's own attempts: after one, the request still
    /// gets all five of the policy (four failures and a success here). The client's first request is
    /// its budget reading (`ThresholdInformation`), so that is the one whose discovery fails.
    @Test func aFailedDiscoveryLeavesTheRequestAllItsAttempts() async throws {
        let harness = try await SandboxHarness.start()
        await harness.sandbox.inject(.serverError, method: "GET", entity: "zoneinformation")
        for _ in 0..<4 { await harness.sandbox.inject(.serverError, method: "GET", entity: "ThresholdInformation") }
        let tickets = try await harness.client.query(Ticket.self, filter: [.eq("companyID", 174)])
        #expect(tickets.count == 3)
        #expect(await harness.client.usage().retries == 5)
        await harness.stop()
    }

    /// A secret pasted with its line break cannot go into a header: refused at once by name, not
    /// retried as if the network had failed.
    @Test(arguments: ["line\nbreak", "carriage\r", "nul\u{0}", "bell\u{7}", "delete\u{7F}"])
    func aCredentialThatCannotBeAHeaderIsRefusedAtOnce(secret: String) async throws {
        let harness = try await SandboxHarness.start { $0.secret = secret }
        do {
            _ = try await harness.client.query(Ticket.self, filter: [.eq("companyID", 174)])
            Issue.record("a secret with a control character was sent")
        } catch {
            guard case .authentication(let message) = error else {
                Issue.record("expected an authentication error, got \(error)")
                return
            }
            #expect(message.contains("secret"))
        }
        #expect(await harness.client.usage().retries == 0)
        #expect(await harness.sleeps.durations.isEmpty)
        await harness.stop()
    }

    @Test func readsAreRetriedAfterATimeout() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults.timeoutDuration = .seconds(5)
        // 1.5 s: far below the hang, far above an answer on a machine running every suite at once
        // (a 0.3 s deadline was missed by the retry itself there).
        let harness = try await SandboxHarness.start(configuration: configuration) {
            $0.requestTimeout = .milliseconds(1500)
        }
        await harness.sandbox.inject(.timeout, method: "GET", entity: "Tickets")
        let ticket = try await harness.client.get(Ticket.self, id: 7002)
        #expect(ticket?.title == "VPN drops every 10 minutes")
        #expect(await harness.client.usage().retries >= 1)
        // The wait for the answer that never came counts as time spent on Autotask.
        #expect(await harness.client.usage().requestTime >= .milliseconds(1500))
        await harness.stop()
    }

    @Test func aCreateRefusedUnexecutedIsRetriedAndHappensOnce() async throws {
        let harness = try await SandboxHarness.start()
        await harness.sandbox.inject(.threadLimit, method: "POST", entity: "ServiceCalls")
        let id = try await harness.client.create(Self.serviceCall(Self.marker))
        #expect(try await Self.calls(harness, Self.marker).map(\.id) == [id])
        await harness.stop()
    }

    @Test func aCreateWhoseAnswerIsLostIsNotRetriedAndSaysTheOutcomeIsUnknown() async throws {
        let harness = try await SandboxHarness.start()
        // The zone first, so the retry count below is the create's alone.
        _ = try await Self.calls(harness, "warm-up")
        let retriesBefore = await harness.client.usage().retries
        await harness.sandbox.inject(.dropAfterWrite, method: "POST", entity: "ServiceCalls")
        do {
            _ = try await harness.client.create(Self.serviceCall(Self.marker))
            Issue.record("a dropped connection was reported as success")
        } catch {
            guard case .outcomeUnknown = error else { Issue.record("expected outcomeUnknown, got \(error)"); return }
        }
        // The write was applied once and not repeated: looking it up by its marker finds exactly one.
        #expect(try await Self.calls(harness, Self.marker).count == 1)
        #expect(await harness.client.usage().retries == retriesBefore, "the create was not sent again")
        await harness.stop()
    }

    @Test func aCreateAnsweredWithAServerErrorIsNotRetried() async throws {
        let harness = try await SandboxHarness.start()
        await harness.sandbox.inject(.serverError, method: "POST", entity: "ServiceCalls")
        await #expect(throws: AutotaskError.self) { _ = try await harness.client.create(Self.serviceCall(Self.marker)) }
        #expect(try await Self.calls(harness, Self.marker).isEmpty)
        #expect(await harness.client.usage().retries == 0)
        await harness.stop()
    }

    @Test func anUpdateWhoseAnswerIsLostIsRetriedBecauseItIsIdempotent() async throws {
        let harness = try await SandboxHarness.start()
        let id = try await harness.client.create(Self.serviceCall(Self.marker))
        await harness.sandbox.inject(.dropAfterWrite, method: "PATCH", entity: "ServiceCalls")
        let later = Date(timeIntervalSince1970: 1_773_158_400)
        let fields: [String: QueryValue] = [
            "startDateTime": .date(later), "endDateTime": .date(later.addingTimeInterval(3600)),
        ]
        #expect(try await harness.client.update(ServiceCall.self, id: id, fields: fields) == id)
        #expect(try await harness.client.get(ServiceCall.self, id: id)?.startDateTime == later)
        #expect(await harness.client.usage().retries == 1)
        await harness.stop()
    }

    @Test func tenConcurrentCallsKeepAtMostThreeInFlightPerEndpoint() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults.latency = .milliseconds(100)
        let harness = try await SandboxHarness.start(configuration: configuration)
        let client = harness.client
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<10 { group.addTask { try await client.query(Ticket.self, filter: [.all]).count } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: 5, count: 10))
        #expect(await harness.sandbox.requestStatistics().highestConcurrency <= 3)
        #expect(await client.usage().retries == 0)
        await harness.stop()
    }

    @Test func aClientThatSendsTooManyAtOnceIsRefusedAndRecoversByRetrying() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults.latency = .milliseconds(150)
        let harness = try await SandboxHarness.start(configuration: configuration) {
            $0.maximumConcurrentRequestsPerEndpoint = 10
            $0.retry = RetryPolicy(maximumAttempts: 8, baseDelay: .milliseconds(100), maximumDelay: .milliseconds(800))
        }
        let client = harness.client
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for id in 7001...7005 {
                group.addTask { try await client.get(Ticket.self, id: id)?.id ?? 0 }
                group.addTask { try await client.get(Ticket.self, id: id)?.id ?? 0 }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.sorted() == [7001, 7001, 7002, 7002, 7003, 7003, 7004, 7004, 7005, 7005])
        #expect(await client.usage().retries > 0)
        #expect(await harness.sandbox.requestStatistics().highestConcurrency <= 3)
        await harness.stop()
    }

    @Test func anExhaustedBudgetIsReportedAsSuch() async throws {
        var configuration = SandboxConfiguration()
        configuration.hourlyThreshold = 15
        let harness = try await SandboxHarness.start(configuration: configuration) {
            $0.budget = BudgetPolicy(slowDownAt: 2, pauseBackgroundAt: 2, pauseNormalAt: 2, thresholdRefreshEvery: 1000)
        }
        var outcome: AutotaskError?
        for _ in 0..<30 where outcome == nil {
            do {
                _ = try await harness.client.get(Ticket.self, id: 7001, priority: .urgent)
            } catch {
                outcome = error
            }
        }
        guard case .budgetExhausted(let message)? = outcome else {
            Issue.record("expected budgetExhausted, got \(String(describing: outcome))")
            return
        }
        #expect(message.contains("15 requests per 60 minutes"))
        await harness.stop()
    }

    @Test func theClientSlowsDownThenHoldsBackLessUrgentWorkAsTheBudgetFills() async throws {
        var configuration = SandboxConfiguration()
        configuration.hourlyThreshold = 100
        let harness = try await SandboxHarness.start(configuration: configuration) {
            $0.budget = BudgetPolicy(
                slowDownAt: 0.3, slowDownDelay: .milliseconds(1), pauseBackgroundAt: 0.5, pauseNormalAt: 0.7,
                thresholdRefreshEvery: 10)
        }
        let client = harness.client
        var heldBack: [RequestPriority: Int] = [:]
        for _ in 0..<90 {
            for priority in [RequestPriority.background, .normal, .urgent] {
                do {
                    _ = try await client.query(Ticket.self, filter: [.eq("id", 7001)], priority: priority)
                } catch .budgetReserved {
                    heldBack[priority, default: 0] += 1
                } catch {
                    break
                }
            }
        }
        let usage = await client.usage()
        #expect(usage.threshold == 100)
        #expect(heldBack[.background, default: 0] > 0)
        #expect(heldBack[.normal, default: 0] > 0)
        #expect(heldBack[.urgent] == nil)
        #expect(await harness.sleeps.durations.contains(.milliseconds(1)))
        await harness.stop()
    }

    /// One process-wide metrics backend for the test run.
    static let metrics: TestMetrics = {
        let metrics = TestMetrics()
        MetricsSystem.bootstrap(metrics)
        return metrics
    }()

    @Test func requestsAndRetriesAreCountedAsMetrics() async throws {
        let metrics = Self.metrics
        let harness = try await SandboxHarness.start()
        let before = metrics.counterTotal(
            label: "autotask_requests_total",
            dimensions: [("endpoint", "Companies"), ("method", "POST"), ("outcome", "200")])
        _ = try await harness.client.query(Company.self, filter: [.all])
        _ = try await harness.client.query(Company.self, filter: [.all])
        let after = metrics.counterTotal(
            label: "autotask_requests_total",
            dimensions: [("endpoint", "Companies"), ("method", "POST"), ("outcome", "200")])
        #expect(after - before == 2)
        #expect(try metrics.expectGauge("autotask_budget_used_requests").lastValue ?? 0 > 0)
        // One refused query, retried once: one retry counted by this client, and the process-wide
        // counter moves (other suites running in parallel may add their own retries to it, so it is
        // checked for at least this one).
        let retriesBefore = metrics.counterTotal(label: "autotask_retries_total")
        let clientRetriesBefore = await harness.client.usage().retries
        await harness.sandbox.inject(.serverError, method: "POST", entity: "Companies")
        _ = try await harness.client.query(Company.self, filter: [.all])
        #expect(await harness.client.usage().retries - clientRetriesBefore == 1)
        #expect(metrics.counterTotal(label: "autotask_retries_total") - retriesBefore >= 1)
        await harness.stop()
    }
}
