import LiftoffCore
import Testing

/// The work plan: what the technician really does, from `now`, without gaps or alignment.
@Suite struct WorkPlanTests {
    typealias F = Fixture

    @Test func workPausesForAMeetingAndResumesAfterIt() {
        let plan = F.plan(
            F.technician(
                busy: [F.busy(.external, "2026-03-02T10:00:00Z", "2026-03-02T10:30:00Z")],
                activities: [F.activity("NA-1", minutes: 120)]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.entry("NA-1")?.estimatedStart == F.instant("2026-03-02T09:00:00Z"))
        #expect(plan.entry("NA-1")?.estimatedFinish == F.instant("2026-03-02T11:30:00Z"))
    }

    @Test func workFlowsWithoutAlignmentOrGaps() {
        let plan = F.plan(
            F.technician(activities: [
                F.activity("A", priority: 1, minutes: 37), F.activity("B", priority: 2, minutes: 20),
            ]),
            now: "2026-03-02T09:03:00Z", settings: F.settings(alignment: 60, minFree: 120))
        #expect(plan.entry("A")?.estimatedStart == F.instant("2026-03-02T09:03:00Z"))
        #expect(plan.entry("A")?.estimatedFinish == F.instant("2026-03-02T09:40:00Z"))
        #expect(plan.entry("B")?.estimatedStart == F.instant("2026-03-02T09:40:00Z"))
        #expect(plan.entry("B")?.estimatedFinish == F.instant("2026-03-02T10:00:00Z"))
    }

    @Test func workCarriesOverToTheNextShift() {
        let plan = F.plan(
            F.technician(activities: [F.activity("NA-1", minutes: 90)]), now: "2026-03-02T16:00:00Z")
        #expect(plan.entry("NA-1")?.estimatedStart == F.instant("2026-03-02T16:00:00Z"))
        #expect(plan.entry("NA-1")?.estimatedFinish == F.instant("2026-03-03T09:30:00Z"))
    }

    @Test func aHigherActivityThatWakesUpTakesOver() {
        let plan = F.plan(
            F.technician(activities: [
                F.activity("sleeper", priority: 1, minutes: 60, sleepUntil: "2026-03-02T09:30:00Z"),
                F.activity("worker", priority: 2, minutes: 120),
            ]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.entry("worker")?.estimatedStart == F.instant("2026-03-02T09:00:00Z"))
        #expect(plan.entry("sleeper")?.estimatedStart == F.instant("2026-03-02T09:30:00Z"))
        #expect(plan.entry("sleeper")?.estimatedFinish == F.instant("2026-03-02T10:30:00Z"))
        #expect(plan.entry("worker")?.estimatedFinish == F.instant("2026-03-02T12:00:00Z"))
    }

    @Test func aLowerActivityThatWakesUpWaitsItsTurn() {
        let plan = F.plan(
            F.technician(activities: [
                F.activity("first", priority: 1, minutes: 120),
                F.activity("sleeper", priority: 2, minutes: 30, sleepUntil: "2026-03-02T09:30:00Z"),
            ]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.entry("sleeper")?.estimatedStart == F.instant("2026-03-02T11:00:00Z"))
    }

    @Test func estimatesAreNullWhenWorkDoesNotFinishWithinTheHorizon() {
        // One day of horizon holds one eight-hour shift: 480 minutes of work.
        let plan = F.plan(
            F.technician(activities: [
                F.activity("fits", priority: 1, minutes: 400, due: "2026-03-02T16:00:00Z"),
                F.activity("late", priority: 2, minutes: 70, due: "2026-03-02T17:00:00Z"),
                F.activity("tooLong", priority: 3, minutes: 60, due: "2026-03-09T17:00:00Z"),
                F.activity("noDue", priority: 4, minutes: 60),
            ]),
            now: "2026-03-02T09:00:00Z", settings: F.settings(horizonDays: 1))
        #expect(plan.entry("fits")?.estimatedFinish == F.instant("2026-03-02T15:40:00Z"))
        #expect(plan.entry("fits")?.atRisk == false)
        #expect(plan.entry("late")?.estimatedFinish == F.instant("2026-03-02T16:50:00Z"))
        #expect(plan.entry("late")?.atRisk == false)
        #expect(plan.entry("tooLong")?.estimatedStart == nil)
        #expect(plan.entry("tooLong")?.estimatedFinish == nil)
        #expect(plan.entry("tooLong")?.atRisk == true)
        #expect(plan.entry("noDue")?.atRisk == false)
    }

    @Test func atRiskWhenTheFinishIsAfterTheDueDate() {
        let plan = F.plan(
            F.technician(activities: [F.activity("NA-1", minutes: 120, due: "2026-03-02T10:59:00Z")]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.entry("NA-1")?.atRisk == true)
        #expect(plan.entry("NA-1")?.dueDateTime == F.instant("2026-03-02T10:59:00Z"))
    }

    @Test func startedWorkFlowsFirstWithItsRemainingMinutes() {
        let plan = F.plan(
            F.technician(activities: [
                F.activity("next", priority: 1, minutes: 60),
                F.activity("started", priority: 5, minutes: 90, startedAt: "2026-03-02T08:30:00Z"),
            ]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.entry("started")?.estimatedStart == F.instant("2026-03-02T08:30:00Z"))
        #expect(plan.entry("started")?.estimatedFinish == F.instant("2026-03-02T10:00:00Z"))
        #expect(plan.entry("next")?.estimatedStart == F.instant("2026-03-02T10:00:00Z"))
    }

    @Test func startedWorkThatShouldBeDoneFinishesNow() {
        let plan = F.plan(
            F.technician(activities: [F.activity("overdue", minutes: 60, startedAt: "2026-03-02T07:00:00Z")]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.entry("overdue")?.estimatedStart == F.instant("2026-03-02T07:00:00Z"))
        #expect(plan.entry("overdue")?.estimatedFinish == F.instant("2026-03-02T09:00:00Z"))
    }
}
