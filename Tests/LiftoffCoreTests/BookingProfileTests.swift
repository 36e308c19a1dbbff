import LiftoffCore
import Testing

/// Gaps between blocks must hold a slot an outside scheduler would offer.
@Suite struct BookingProfileTests {
    typealias F = Fixture

    static func plan(profile: BookingProfile, minFree: Int = 0, busy: [BusyItem] = []) -> TechnicianPlan {
        F.plan(
            F.technician(
                busy: busy,
                activities: [F.activity("A", priority: 1, minutes: 60), F.activity("B", priority: 2, minutes: 60)]),
            now: "2026-03-02T09:00:00Z", settings: F.settings(minFree: minFree, profile: profile))
    }

    @Test func theGapHoldsOneMeetingWithItsBufferAfter() {
        // Meeting 30 + 15 after, starting on :00/:30: the first slot after 10:00 is 10:00–10:45.
        let plan = Self.plan(
            profile: BookingProfile(meetingMinutes: 30, bufferAfterMinutes: 15, startIncrementMinutes: 30))
        #expect(
            plan.blockSummary == [
                "A 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z",
                "B 2026-03-02T10:45:00Z–2026-03-02T11:45:00Z",
            ])
    }

    @Test func theBufferBeforePushesTheSlotToTheNextGridStart() {
        // 10 minutes before a meeting on the half hour: the slot is 10:30 (10:20–11:15 with buffers).
        let plan = Self.plan(
            profile: BookingProfile(
                meetingMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 15, startIncrementMinutes: 30))
        #expect(plan.calendar.last?.start == F.instant("2026-03-02T11:15:00Z"))
    }

    @Test func aSlotMustBeClearOfBlockingItems() {
        // A meeting 10:00–10:30 takes the first slot; the next on the grid is 10:30–11:00.
        let plan = Self.plan(
            profile: BookingProfile(meetingMinutes: 30, startIncrementMinutes: 30),
            busy: [F.busy(.external, "2026-03-02T10:00:00Z", "2026-03-02T10:30:00Z")])
        #expect(plan.calendar.last?.start == F.instant("2026-03-02T11:00:00Z"))
    }

    @Test func bothRulesApplyWhenBothAreSet() {
        // The profile alone needs 10:30 (a 30-minute slot from 10:00); 60 free minutes need 11:00.
        let plan = Self.plan(profile: BookingProfile(meetingMinutes: 30, startIncrementMinutes: 30), minFree: 60)
        #expect(plan.calendar.last?.start == F.instant("2026-03-02T11:00:00Z"))
    }

    @Test func slotsStartOnTheLocalGridOfTheTechniciansZone() {
        // Kathmandu is UTC+05:45: a grid of whole local hours falls at :15 UTC.
        let plan = F.plan(
            F.technician(
                zone: "Asia/Kathmandu", schedule: F.everyDay([F.shift("09:00", "17:00")]),
                activities: [F.activity("A", priority: 1, minutes: 60), F.activity("B", priority: 2, minutes: 60)]),
            now: "2026-03-02T03:15:00Z",  // 09:00 local
            settings: F.settings(profile: BookingProfile(meetingMinutes: 30, startIncrementMinutes: 60)))
        // A 09:00–10:00 local; the first slot is 10:00–10:30 local; B starts 10:30 local = 04:45Z.
        #expect(plan.calendar.last?.start == F.instant("2026-03-02T04:45:00Z"))
    }

    @Test func withoutAProfileOrMinimumBlocksArePacked() {
        let plan = F.plan(
            F.technician(activities: [
                F.activity("A", priority: 1, minutes: 60), F.activity("B", priority: 2, minutes: 60),
            ]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.calendar.last?.start == F.instant("2026-03-02T10:00:00Z"))
    }
}
