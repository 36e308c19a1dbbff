import LiftoffCore
import Testing

@Suite struct WorkboardOrderTests {
    typealias F = Fixture

    @Test func higherPriorityRankComesFirst() {
        let plan = F.plan(
            F.technician(activities: [
                F.activity("low", priority: 3, minutes: 30), F.activity("high", priority: 1, minutes: 30),
            ]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.order == ["high", "low"])
    }

    @Test func olderTicketComesFirstWithinAPriority() {
        let plan = F.plan(
            F.technician(activities: [
                F.activity("new", priority: 2, minutes: 30, created: "2026-02-20T10:00:00Z"),
                F.activity("old", priority: 2, minutes: 30, created: "2026-02-01T10:00:00Z"),
            ]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.order == ["old", "new"])
    }

    @Test func activityIdBreaksTiesByUTF8Bytes() {
        // "Z" (0x5A) sorts before "a" (0x61) and "é" (0xC3 0xA9) after both, as bytes.
        let activities = ["é", "a", "Z", "b"].map { F.activity($0, priority: 2, minutes: 30) }
        let plan = F.plan(F.technician(activities: activities), now: "2026-03-02T09:00:00Z")
        #expect(plan.order == ["Z", "a", "b", "é"])
        #expect(plan.workboard.map(\.position) == [1, 2, 3, 4])
    }

    @Test func startedActivitiesComeFirstByStartTime() {
        let plan = F.plan(
            F.technician(activities: [
                F.activity("urgent", priority: 1, minutes: 30),
                F.activity("startedLater", priority: 4, minutes: 60, startedAt: "2026-03-02T08:50:00Z"),
                F.activity("startedEarlier", priority: 5, minutes: 60, startedAt: "2026-03-02T08:40:00Z"),
            ]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.order == ["startedEarlier", "startedLater", "urgent"])
    }

    @Test(arguments: [0, 15, 60, 240])
    func orderDoesNotDependOnFreeTimeBetweenActivities(minFree: Int) {
        let technician = F.technician(
            busy: [F.busy(.external, "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z")],
            activities: (1...8).map { F.activity("NA-\($0)", priority: 1 + $0 % 3, minutes: 45 * $0) })
        let packed = F.plan(technician, now: "2026-03-02T09:00:00Z")
        let spaced = F.plan(technician, now: "2026-03-02T09:00:00Z", settings: F.settings(minFree: minFree))
        #expect(spaced.order == packed.order)
        #expect(spaced.workboard == packed.workboard)
    }
}
