import Foundation
import LiftoffCore
import PropertyBased
import Testing

/// `Availability`: which times a customer can book (docs/scheduling.md, *Availability*). Worked
/// examples on the New York Monday of ``CalendarInsightTests`` (09:00–17:00, EST, so 09:00 local is
/// 14:00Z), then a property test that compares every answer with a brute-force reading of the rules
/// over random problems in zones with daylight-saving changes and odd offsets.
@Suite struct AvailabilityTests {
    typealias Scenario = CalendarInsightTests.Scenario

    /// Monday with NA-1 (60 minutes, so 09:00–10:00) and a "Customer call" 11:00–12:00 local.
    static func monday() throws -> Scenario {
        try Scenario(
            busy: [
                CalendarInsightTests.busy(
                    "external", "2026-03-02T16:00:00Z", "2026-03-02T17:00:00Z", title: "Customer call")
            ],
            activities: [CalendarInsightTests.activity("NA-1", minutes: 60)])
    }

    static func slots(
        _ scenario: Scenario, _ type: AppointmentType, from: String = CalendarInsightTests.mondayStart,
        to: String = CalendarInsightTests.tuesdayStart, booked: [String] = []
    ) -> [String] {
        Availability.slots(
            of: type,
            for: [.init(technician: scenario.technician, plan: scenario.plan, booked: booked.map(Fixture.instant))],
            settings: scenario.problem.settings, now: scenario.now, from: Fixture.instant(from),
            to: Fixture.instant(to)
        ).map { RFC3339.format($0.start) }
    }

    static func type(
        length: Int = 30, increment: Int = 30, before: Int = 0, after: Int = 0,
        notice: AppointmentType.Notice = .minutes(0), windowDays: Int = 14, cap: Int? = nil
    ) -> AppointmentType {
        AppointmentType(
            id: "call", name: "Remote call", lengthMinutes: length, startIncrementMinutes: increment,
            bufferBeforeMinutes: before, bufferAfterMinutes: after, notice: notice, bookingWindowDays: windowDays,
            maximumPerDay: cap)
    }

    /// NA-1 takes 09:00–10:00 and the call 11:00–12:00: half-hour slots fill 10:00–11:00 and
    /// 12:00–17:00, none touching either.
    @Test func slotsFillTheGapsAroundBlocksAndMeetings() throws {
        let found = Self.slots(try Self.monday(), Self.type())
        #expect(
            found == [
                "2026-03-02T15:00:00Z", "2026-03-02T15:30:00Z", "2026-03-02T17:00:00Z", "2026-03-02T17:30:00Z",
                "2026-03-02T18:00:00Z", "2026-03-02T18:30:00Z", "2026-03-02T19:00:00Z", "2026-03-02T19:30:00Z",
                "2026-03-02T20:00:00Z", "2026-03-02T20:30:00Z", "2026-03-02T21:00:00Z", "2026-03-02T21:30:00Z",
            ])
    }

    /// Fifteen minutes of buffer either side: between NA-1 (ends 10:00) and the call (11:00) only
    /// 10:15 fits ([10:00, 11:00) buffered); after the call the first is 12:15, and the last that keeps
    /// its buffer clear ends 16:45 (the buffer may reach past 17:00: it is not work).
    @Test func buffersKeepTheirTimeClearButMayLeaveWorkingHours() throws {
        let found = Self.slots(try Self.monday(), Self.type(increment: 15, before: 15, after: 15))
        #expect(found.first == "2026-03-02T15:15:00Z")
        #expect(found.dropFirst().first == "2026-03-02T17:15:00Z")
        #expect(found.last == "2026-03-02T21:30:00Z", "16:30–17:00 with its buffer to 17:15")
        #expect(!found.contains("2026-03-02T15:30:00Z"), "10:30–11:00 would leave no buffer before the call")
    }

    /// Notice in plain minutes, in working minutes and in working days. `now` is Monday 08:00.
    @Test(arguments: [
        // 11:00 falls in the call; 12:00 is the first free time after it.
        (AppointmentType.Notice.minutes(180), "2026-03-02T17:00:00Z"),
        // Work starts at 09:00; 90 working minutes later it is 10:30.
        (.businessMinutes(90), "2026-03-02T15:30:00Z"),
        // A whole Monday of work (480 minutes) ends at 17:00: Tuesday 09:00.
        (.businessMinutes(480), "2026-03-03T14:00:00Z"),
        // The next working day.
        (.businessDays(1), "2026-03-03T14:00:00Z"),
        // Tuesday to Friday, then Monday 9 March, after the spring change (EDT: 09:00 is 13:00Z).
        (.businessDays(5), "2026-03-09T13:00:00Z"),
    ])
    func noticeIsCountedAsTheTypeSays(_ notice: AppointmentType.Notice, _ first: String) throws {
        let found = Self.slots(
            try Self.monday(), Self.type(notice: notice), from: CalendarInsightTests.mondayStart,
            to: "2026-03-12T00:00:00Z")
        #expect(found.first == first, "\(notice)")
    }

    /// A holiday (time off over the whole of Tuesday) is no working day and no working time.
    @Test func noticeInWorkingTimeSkipsTimeOff() throws {
        var scenario = try Self.monday()
        scenario = try Scenario(
            busy: [
                CalendarInsightTests.busy("timeOff", "2026-03-03T05:00:00Z", "2026-03-04T05:00:00Z", title: "Holiday")
            ],
            activities: [CalendarInsightTests.activity("NA-1", minutes: 60)])
        let byDays = Self.slots(
            scenario, Self.type(notice: .businessDays(1)), from: CalendarInsightTests.mondayStart,
            to: "2026-03-06T00:00:00Z")
        #expect(byDays.first == "2026-03-04T14:00:00Z", "Wednesday 09:00")
        let byMinutes = Self.slots(
            scenario, Self.type(notice: .businessMinutes(600)), from: CalendarInsightTests.mondayStart,
            to: "2026-03-06T00:00:00Z")
        #expect(byMinutes.first == "2026-03-04T16:00:00Z", "Monday's 480 and Wednesday's first 120: 11:00")
    }

    /// The window ends a day after `now` (Tuesday 08:00 local): Tuesday has no slot.
    @Test func nothingStartsAfterTheBookingWindow() throws {
        let found = Self.slots(
            try Self.monday(), Self.type(windowDays: 1), from: CalendarInsightTests.mondayStart,
            to: "2026-03-05T00:00:00Z")
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0 < "2026-03-03T13:00:00Z" }, "\(found.last ?? "")")
    }

    /// One booking a day: Monday's booking at 13:00 local closes Monday; Tuesday stays open.
    @Test func theDailyCapCountsTheDaysBookings() throws {
        let found = Self.slots(
            try Self.monday(), Self.type(cap: 1), from: CalendarInsightTests.mondayStart,
            to: "2026-03-04T05:00:00Z", booked: ["2026-03-02T18:00:00Z"])
        #expect(!found.contains { $0 < CalendarInsightTests.tuesdayStart })
        #expect(found.first == "2026-03-03T14:00:00Z")
    }

    /// Flexible slots may overlap Next Activity blocks (the plan then moves them), never a meeting.
    @Test func flexibleSlotsMayTakeTimeFromBlocksButNotFromMeetings() throws {
        var type = Self.type()
        type.mode = .flexible
        let found = Self.slots(try Self.monday(), type)
        #expect(found.first == "2026-03-02T14:00:00Z", "09:00, NA-1's time")
        #expect(!found.contains("2026-03-02T16:00:00Z") && !found.contains("2026-03-02T16:30:00Z"))
    }

    /// NA-1 is due at 10:00 and finishes then. A flexible slot at 09:00 or 09:30 would push it past
    /// its due date, so neither is offered; from 10:00 nothing it pushes is due.
    @Test func flexibleSlotsNeverMakeAnActivityLate() throws {
        let scenario = try Scenario(
            activities: [CalendarInsightTests.activity("NA-1", minutes: 60, due: "2026-03-02T15:00:00Z")])
        #expect(scenario.plan.workboard.first?.atRisk == false)
        var type = Self.type()
        type.mode = .flexible
        let found = Self.slots(scenario, type)
        #expect(found.first == "2026-03-02T15:00:00Z", "\(found.prefix(3))")
        // An activity already late may be pushed further: it is not made late by the booking.
        let late = try Scenario(
            activities: [CalendarInsightTests.activity("NA-1", minutes: 60, due: "2026-03-02T14:30:00Z")])
        #expect(late.plan.workboard.first?.atRisk == true)
        #expect(Self.slots(late, type).first == "2026-03-02T14:00:00Z")
    }

    // MARK: - Against the rules, over random problems

    static func randomType(_ seed: UInt64) -> AppointmentType {
        var random = SplitMix64(seed: seed)
        func pick(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        return AppointmentType(
            id: "t", name: "t", lengthMinutes: [15, 30, 45, 60, 90][pick(0...4)],
            startIncrementMinutes: [5, 15, 20, 30, 45, 60][pick(0...5)], bufferBeforeMinutes: pick(0...3) * 10,
            bufferAfterMinutes: pick(0...3) * 10, notice: .minutes(pick(0...3) * 120), bookingWindowDays: pick(1...3),
            maximumPerDay: nil, mode: pick(0...1) == 0 ? .gapsOnly : .flexible)
    }

    /// Every slot keeps every rule, and every time that keeps them is offered. The oracle reads local
    /// times with Foundation and walks every minute, sharing no code with `Availability`.
    @Test func slotsAreExactlyTheTimesThatKeepEveryRule() async {
        await propertyCheck(
            count: 60, input: Gen.int(in: 0...Int.max), Gen.int(in: 0...Int.max), Gen.int(in: 0...60)
        ) { problemSeed, typeSeed, minFree in
            let scenario = PlannerPropertyTests.scenario(
                seed: UInt64(problemSeed), minFree: minFree, alignmentIndex: 2, withProfile: false)
            let plan = Planner.plan(scenario.problem).technicians[0]
            let type = Self.randomType(UInt64(typeSeed))
            let now = scenario.problem.now
            let to = now.adding(minutes: 3 * 1440)
            let found = Availability.slots(
                of: type, for: [.init(technician: scenario.technician, plan: plan)], settings: scenario.settings,
                now: now, from: now, to: to)
            let expected = Self.oracle(scenario, plan, type, now: now, to: to)
            let foundStarts = found.map(\.start.millisecondsSinceEpoch)
            #expect(
                foundStarts == expected,
                "zone \(scenario.technician.timeZone.identifier), type \(type): extra \(Set(foundStarts).subtracting(expected).sorted().prefix(3).map(Self.text)), missing \(Set(expected).subtracting(foundStarts).sorted().prefix(3).map(Self.text))"
            )
            #expect(
                found.allSatisfy {
                    $0.end.millisecondsSinceEpoch - $0.start.millisecondsSinceEpoch == Int64(type.lengthMinutes)
                        * 60_000
                })
        }
    }

    static func text(_ milliseconds: Int64) -> String {
        RFC3339.format(Instant(millisecondsSinceEpoch: milliseconds))
    }

    static func oracle(
        _ scenario: PlannerPropertyTests.Scenario, _ plan: TechnicianPlan, _ type: AppointmentType, now: Instant,
        to: Instant
    ) -> [Int64] {
        let zone = scenario.technician.timeZone
        let minute: Int64 = 60_000
        let length = Int64(type.lengthMinutes) * minute
        guard case .minutes(let notice) = type.notice else { return [] }
        let earliest = now.millisecondsSinceEpoch + Int64(notice) * minute
        let last = min(
            to.millisecondsSinceEpoch, now.millisecondsSinceEpoch + Int64(type.bookingWindowDays) * 86_400_000)
        var obstacles = PlannerPropertyTests.blocking(scenario).map {
            ($0.0.millisecondsSinceEpoch, $0.1.millisecondsSinceEpoch)
        }
        if type.mode == .gapsOnly {
            obstacles += plan.calendar.map { ($0.start.millisecondsSinceEpoch, $0.end.millisecondsSinceEpoch) }
        }
        var result: [Int64] = []
        var start = (earliest + minute - 1) / minute * minute
        while start < last {
            defer { start += minute }
            let local = PlannerPropertyTests.local(Instant(millisecondsSinceEpoch: start), zone, isEnd: false)
            guard local.second == 0, local.minute % type.startIncrementMinutes == 0 else { continue }
            let end = start + length
            guard
                PlannerPropertyTests.shift(
                    holding: Instant(millisecondsSinceEpoch: start), Instant(millisecondsSinceEpoch: end), scenario)
                    != nil
            else { continue }
            let from = start - Int64(type.bufferBeforeMinutes) * minute
            let until = end + Int64(type.bufferAfterMinutes) * minute
            guard !obstacles.contains(where: { $0.0 < until && from < $0.1 && $0.0 < $0.1 }) else { continue }
            if type.mode == .flexible {
                // Re-plan with the appointment in place, for every candidate: nothing on time becomes late.
                var technician = scenario.technician
                technician.busy.append(
                    BusyItem(
                        kind: .fixed, start: Instant(millisecondsSinceEpoch: from),
                        end: Instant(millisecondsSinceEpoch: until)))
                let replanned = Planner.plan(
                    PlanningProblem(now: now, settings: scenario.settings, technicians: [technician]))
                let before = Set(plan.workboard.filter(\.atRisk).map(\.activityId))
                let after = Set(replanned.technicians[0].workboard.filter(\.atRisk).map(\.activityId))
                guard after.isSubset(of: before) else { continue }
            }
            result.append(start)
        }
        return result
    }
}
