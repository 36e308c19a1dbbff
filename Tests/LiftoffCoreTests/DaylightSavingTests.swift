import Foundation
import LiftoffCore
import Testing

/// Working hours are wall-clock rules: 08:00–17:00 stays 08:00–17:00 local across both of 2026's
/// daylight-saving changes, and starts align to the local clock in zones with odd offsets. Expected
/// instants come from Foundation's own reading of the zone, independently of the planner.
@Suite struct DaylightSavingTests {
    typealias F = Fixture

    struct Change: Sendable, CustomTestStringConvertible {
        let zone: String
        let year: Int, month: Int, day: Int
        var testDescription: String { "\(zone) \(year)-\(month)-\(day)" }
    }

    static let changes = [
        Change(zone: "America/New_York", year: 2026, month: 3, day: 8),
        Change(zone: "America/New_York", year: 2026, month: 11, day: 1),
        Change(zone: "Europe/London", year: 2026, month: 3, day: 29),
        Change(zone: "Europe/London", year: 2026, month: 10, day: 25),
        Change(zone: "Australia/Lord_Howe", year: 2026, month: 4, day: 5),
        Change(zone: "Australia/Lord_Howe", year: 2026, month: 10, day: 4),
        Change(zone: "Pacific/Chatham", year: 2026, month: 4, day: 5),
        Change(zone: "Pacific/Chatham", year: 2026, month: 9, day: 27),
    ]

    @Test(arguments: changes)
    func shiftsKeepTheirLocalHoursAcrossTheChange(_ change: Change) throws {
        let zone = F.zone(change.zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let changeDay = try #require(
            calendar.date(from: DateComponents(year: change.year, month: change.month, day: change.day, hour: 12)))
        let firstDay = calendar.dateComponents(
            [.year, .month, .day], from: calendar.date(byAdding: .day, value: -3, to: changeDay)!)
        let now = Instant.wallClock(firstDay.year!, firstDay.month!, firstDay.day!, 6, 0, in: zone)
        let technician = F.technician(
            zone: change.zone, schedule: F.everyDay([F.shift("08:00", "17:00")]),
            activities: (1...7).map { F.activity("NA-\($0)", priority: $0, minutes: 540) })
        let plan = Planner.plan(
            PlanningProblem(now: now, settings: F.settings(maxBlock: 540, horizonDays: 8), technicians: [technician])
        ).technicians[0]

        try #require(plan.calendar.count == 7)
        for (offset, block) in plan.calendar.enumerated() {
            let day = calendar.dateComponents(
                [.year, .month, .day], from: calendar.date(byAdding: .day, value: offset, to: now.date)!)
            #expect(block.activityId == "NA-\(offset + 1)")
            #expect(block.start == Instant.wallClock(day.year!, day.month!, day.day!, 8, 0, in: zone))
            #expect(block.end == Instant.wallClock(day.year!, day.month!, day.day!, 17, 0, in: zone))
        }
    }

    @Test func aShiftAcrossSpringForwardLastsTheRealTimeBetweenItsEnds() {
        // 00:00–06:00 on 2026-03-08 in New York is 05:00Z–10:00Z: five real hours.
        let schedule = WorkSchedule(weekly: [.sun: [F.shift("00:00", "06:00")]])
        let plan = F.plan(
            F.technician(
                zone: "America/New_York", schedule: schedule,
                activities: [
                    F.activity("five", priority: 1, minutes: 300), F.activity("more", priority: 2, minutes: 1),
                ]),
            now: "2026-03-07T12:00:00Z", settings: F.settings(maxBlock: 600, horizonDays: 2))
        #expect(plan.blockSummary == ["five 2026-03-08T05:00:00Z–2026-03-08T10:00:00Z"])
        #expect(plan.unscheduled.map(\.activityId) == ["more"])
    }

    @Test func aShiftAcrossFallBackLastsTheRealTimeBetweenItsEnds() {
        // 00:00–06:00 on 2026-11-01 in New York is 04:00Z–11:00Z: seven real hours.
        let schedule = WorkSchedule(weekly: [.sun: [F.shift("00:00", "06:00")]])
        let plan = F.plan(
            F.technician(
                zone: "America/New_York", schedule: schedule, activities: [F.activity("seven", minutes: 420)]),
            now: "2026-10-31T12:00:00Z", settings: F.settings(maxBlock: 600, horizonDays: 2))
        #expect(plan.blockSummary == ["seven 2026-11-01T04:00:00Z–2026-11-01T11:00:00Z"])
    }

    @Test func aShiftStartingInTheSkippedHourStartsAtTheChange() {
        let schedule = WorkSchedule(weekly: [.sun: [F.shift("02:30", "04:00")]])
        let plan = F.plan(
            F.technician(zone: "America/New_York", schedule: schedule, activities: [F.activity("NA-1", minutes: 60)]),
            now: "2026-03-07T12:00:00Z", settings: F.settings(horizonDays: 2))
        // 02:30 does not exist: the shift starts at the change, 03:00 EDT (07:00Z), and ends 04:00 EDT.
        #expect(plan.blockSummary == ["NA-1 2026-03-08T07:00:00Z–2026-03-08T08:00:00Z"])
    }

    @Test(arguments: ["Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham"], [15, 60])
    func startsAlignToTheLocalClockInOddOffsets(zoneName: String, alignment: Int) {
        let zone = F.zone(zoneName)
        let now = Instant.wallClock(2026, 3, 2, 9, 7, in: zone)
        let plan = Planner.plan(
            PlanningProblem(
                now: now, settings: F.settings(alignment: alignment),
                technicians: [
                    F.technician(
                        zone: zoneName, schedule: F.everyDay([F.shift("09:00", "17:00")]),
                        activities: [
                            F.activity("A", priority: 1, minutes: 50), F.activity("B", priority: 2, minutes: 50),
                        ])
                ])
        ).technicians[0]
        let first = alignment == 15 ? (9, 15) : (10, 0)
        let second = alignment == 15 ? (10, 15) : (11, 0)
        #expect(
            plan.calendar.map(\.start) == [
                Instant.wallClock(2026, 3, 2, first.0, first.1, in: zone),
                Instant.wallClock(2026, 3, 2, second.0, second.1, in: zone),
            ])
        for block in plan.calendar {
            let local = block.start.local(in: zone)
            #expect(local.minute! % alignment == 0 && local.second == 0)
        }
    }
}
