import Foundation
import LiftoffCore
import PropertyBased
import Testing

/// Invariants of the planner over random problems: random zones (with daylight-saving changes and
/// odd offsets), schedules, busy items, activities and settings. The checks read the problem directly
/// and use Foundation for local times, so they do not share the planner's code.
@Suite struct PlannerPropertyTests {
    static let zones = [
        "UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Kathmandu",
        "Pacific/Chatham",
    ]
    /// Dates close to 2026's daylight-saving changes, so random horizons cross them often.
    static let starts = [
        "2026-03-05T13:17:00Z", "2026-03-27T08:00:00Z", "2026-04-02T22:41:00Z", "2026-09-24T03:00:00Z",
        "2026-10-01T11:11:00Z", "2026-10-22T17:59:00Z", "2026-10-29T06:30:00Z", "2026-06-15T00:00:00Z",
    ]

    struct Scenario: Sendable {
        let problem: PlanningProblem
        let settings: Settings
        var technician: Technician { problem.technicians[0] }
    }

    static func scenario(seed: UInt64, minFree: Int, alignmentIndex: Int, withProfile: Bool) -> Scenario {
        var random = SplitMix64(seed: seed)
        func pick(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        let now = Fixture.instant(starts[pick(0...(starts.count - 1))]).adding(minutes: pick(0...2000))
        var weekly: [Weekday: [Shift]] = [:]
        for day in Weekday.allCases where pick(0...6) > 0 {
            var shifts: [Shift] = []
            var cursor = pick(0...20) * 30
            for _ in 0..<pick(1...3) {
                let start = cursor + pick(0...6) * 15
                let end = min(1440, start + pick(2...20) * 30)
                guard start < 1440, end > start else { break }
                shifts.append(
                    Shift(
                        start: WallClockTime(minutesSinceMidnight: start)!,
                        end: WallClockTime(minutesSinceMidnight: end)!)!)
                cursor = end
            }
            weekly[day] = shifts
        }
        var busy: [BusyItem] = []
        for _ in 0..<pick(0...12) {
            let start = now.adding(minutes: pick(-600...(12 * 1440)))
            busy.append(
                BusyItem(
                    kind: BusyItem.Kind.allCases[pick(0...3)], start: start, end: start.adding(minutes: pick(0...600)),
                    showAs: pick(0...1) == 0 ? nil : BusyItem.ShowAs.allCases[pick(0...3)],
                    status: pick(0...1) == 0 ? nil : BusyItem.Status.allCases[pick(0...2)]))
        }
        var activities: [NextActivity] = []
        for index in 0..<pick(1...10) {
            let started = index == 0 && pick(0...3) == 0
            activities.append(
                NextActivity(
                    id: "NA-\(pick(0...99))-\(index)", priority: pick(1...4), durationMinutes: pick(1...700),
                    ticketCreated: now.adding(minutes: -pick(0...40_000)),
                    sleepUntil: pick(0...3) == 0 ? now.adding(minutes: pick(-100...5000)) : nil,
                    startedAt: started ? now.adding(minutes: -pick(0...300)) : nil,
                    dueDateTime: pick(0...1) == 0 ? now.adding(minutes: pick(0...10_000)) : nil))
        }
        var settings = Settings()
        settings.alignmentMinutes = Settings.allowedAlignments[alignmentIndex]
        settings.minMinutesFreeBetweenActivities = minFree
        settings.maxBlockMinutes = [30, 90, 240, 480][pick(0...3)]
        settings.horizonDays = pick(1...14)
        settings.blockOnFreeExternalAppointments = pick(0...1) == 0
        if withProfile {
            settings.bookingProfile = BookingProfile(
                meetingMinutes: [15, 30, 45][pick(0...2)], bufferBeforeMinutes: pick(0...2) * 5,
                bufferAfterMinutes: pick(0...2) * 5, startIncrementMinutes: [15, 30, 60][pick(0...2)])
        }
        let technician = Technician(
            id: "T", timeZone: TimeZone(identifier: zones[pick(0...(zones.count - 1))])!,
            workSchedule: WorkSchedule(weekly: weekly), busy: busy, nextActivities: activities)
        return Scenario(
            problem: PlanningProblem(now: now, settings: settings, technicians: [technician]), settings: settings)
    }

    static let input = (
        Gen.int(in: 0...Int.max), Gen.int(in: 0...120), Gen.int(in: 0...(Settings.allowedAlignments.count - 1)),
        Gen.bool
    )

    /// Cases per property; `LIFTOFF_PROPERTY_COUNT=5000 swift test --filter PlannerPropertyTests` searches harder.
    static let propertyCount = ProcessInfo.processInfo.environment["LIFTOFF_PROPERTY_COUNT"].flatMap(Int.init) ?? 300

    static func check(_ body: @escaping @Sendable (Scenario, TechnicianPlan) -> Void) async {
        await propertyCheck(count: propertyCount, input: input.0, input.1, input.2, input.3) {
            seed, minFree, alignment, profile in
            let scenario = scenario(
                seed: UInt64(seed), minFree: minFree, alignmentIndex: alignment, withProfile: profile)
            body(scenario, Planner.plan(scenario.problem).technicians[0])
        }
    }

    // MARK: - The checker's own view of the problem

    static func blocking(_ scenario: Scenario) -> [(Instant, Instant)] {
        scenario.technician.busy
            .filter {
                $0.end > $0.start
                    && $0.blocks(blockOnFreeExternalAppointments: scenario.settings.blockOnFreeExternalAppointments)
            }
            .map { ($0.start, $0.end) }
    }

    /// The local date and minutes of the day of `instant` (24:00 of the previous day for midnight ends).
    static func local(_ instant: Instant, _ zone: TimeZone, isEnd: Bool) -> (date: LocalDate, minute: Int, second: Int)
    {
        let parts = instant.local(in: zone)
        var date = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
        var minute = parts.hour! * 60 + parts.minute!
        if isEnd && minute == 0 && parts.second == 0 {
            date = date.adding(days: -1)
            minute = 1440
        }
        return (date, minute, parts.second!)
    }

    /// The shift of the technician's schedule whose real time holds `[start, end)`, if any.
    static func shift(holding start: Instant, _ end: Instant, _ scenario: Scenario) -> Shift? {
        let zone = scenario.technician.timeZone
        let date = local(start, zone, isEnd: false).date
        for day in [date.adding(days: -1), date] {
            for shift in scenario.technician.workSchedule.shifts(on: day) {
                let from = instant(day, shift.start.minutesSinceMidnight, zone)
                let to = instant(day, shift.end.minutesSinceMidnight, zone)
                if from <= start && end <= to { return shift }
            }
        }
        return nil
    }

    /// A wall-clock time on `date` as an instant, by the rules of docs/scheduling.md, worked out
    /// with Foundation: a skipped time is the instant of the change, a repeated one its first occurrence.
    static func instant(_ date: LocalDate, _ minutes: Int, _ zone: TimeZone) -> Instant {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let midnight = CivilParts(date)
        let wanted = DateComponents(
            year: midnight.year, month: midnight.month, day: midnight.day, hour: minutes / 60, minute: minutes % 60)
        let guess = calendar.date(from: wanted)!
        let wantedMinute = minutes % 1440
        func wallMinute(_ moment: Date) -> Int {
            let parts = calendar.dateComponents([.hour, .minute], from: moment)
            return parts.hour! * 60 + parts.minute!
        }
        if wallMinute(guess) == wantedMinute {
            for earlier in [3600.0, 1800.0] where wallMinute(guess - earlier) == wantedMinute {
                return Instant(guess - earlier)
            }
            return Instant(guess)
        }
        // Skipped: the change is the first instant whose wall clock is past the wanted time.
        var moment = guess.addingTimeInterval(-4 * 3600)
        while wallMinute(moment) < wantedMinute || wallMinute(moment) > wantedMinute + 180 {
            moment = moment.addingTimeInterval(60)
        }
        return Instant(moment)
    }

    struct CivilParts {
        let year: Int, month: Int, day: Int
        init(_ date: LocalDate) {
            let text = date.description.split(separator: "-").map { Int($0)! }
            (year, month, day) = (text[0], text[1], text[2])
        }
    }

    /// Longest stretch of `[from, to)` clear of blocking items.
    static func longestFree(_ from: Instant, _ to: Instant, _ blocking: [(Instant, Instant)]) -> Int64 {
        var cursor = from.millisecondsSinceEpoch
        var longest: Int64 = 0
        for (start, end) in blocking.sorted(by: { $0.0 < $1.0 }) where end.millisecondsSinceEpoch > cursor && start < to
        {
            longest = max(longest, start.millisecondsSinceEpoch - cursor)
            cursor = max(cursor, end.millisecondsSinceEpoch)
        }
        return max(longest, to.millisecondsSinceEpoch - cursor)
    }

    // MARK: - Properties

    @Test func blocksNeverOverlapBlockingItemsOrEachOther() async {
        await Self.check { scenario, plan in
            let started = Set(scenario.technician.nextActivities.filter { $0.startedAt != nil }.map(\.id))
            let placed = plan.calendar.filter { !started.contains($0.activityId) }
            for block in placed {
                for (start, end) in Self.blocking(scenario) where start < block.end && block.start < end {
                    Issue.record("\(block.activityId) \(block.start)–\(block.end) overlaps busy \(start)–\(end)")
                }
            }
            for (earlier, later) in zip(plan.calendar, plan.calendar.dropFirst())
            where !started.contains(earlier.activityId) || !started.contains(later.activityId) {
                #expect(earlier.end <= later.start, "\(earlier) overlaps \(later)")
            }
        }
    }

    @Test func blocksLieInsideOneShiftAlignedAwakeAndWithinTheHorizon() async {
        await Self.check { scenario, plan in
            let technician = scenario.technician
            let horizonEnd = scenario.problem.now.adding(minutes: scenario.settings.horizonDays * 1440)
            for block in plan.calendar {
                let activity = technician.nextActivities.first { $0.id == block.activityId }!
                guard activity.startedAt == nil else { continue }
                #expect(Self.shift(holding: block.start, block.end, scenario) != nil, "\(block) is outside every shift")
                let start = Self.local(block.start, technician.timeZone, isEnd: false)
                #expect(
                    start.second == 0 && start.minute % scenario.settings.alignmentMinutes == 0,
                    "\(block) is not aligned")
                #expect(block.start >= scenario.problem.now)
                #expect(block.start >= (activity.sleepUntil ?? block.start))
                #expect(block.end <= horizonEnd)
            }
        }
    }

    @Test func freeTimeHoldsBetweenConsecutiveBlocksOfAShift() async {
        await Self.check { scenario, plan in
            let minimum = Int64(scenario.settings.minMinutesFreeBetweenActivities) * 60_000
            let blocking = Self.blocking(scenario)
            let started = Set(scenario.technician.nextActivities.filter { $0.startedAt != nil }.map(\.id))
            for (earlier, later) in zip(plan.calendar, plan.calendar.dropFirst()) {
                guard !started.contains(earlier.activityId), !started.contains(later.activityId),
                    let shift = Self.shift(holding: earlier.start, earlier.end, scenario),
                    Self.shift(holding: later.start, later.end, scenario) == shift,
                    Self.local(earlier.start, scenario.technician.timeZone, isEnd: false).date
                        == Self.local(later.start, scenario.technician.timeZone, isEnd: false).date
                else { continue }
                #expect(
                    Self.longestFree(earlier.end, later.start, blocking) >= minimum,
                    "less than \(minimum / 60_000) free minutes between \(earlier) and \(later)")
                if let profile = scenario.settings.bookingProfile {
                    #expect(Self.hasSlot(earlier.end, later.start, profile, blocking, scenario.technician.timeZone))
                }
            }
        }
    }

    static func hasSlot(
        _ from: Instant, _ to: Instant, _ profile: BookingProfile, _ blocking: [(Instant, Instant)], _ zone: TimeZone
    ) -> Bool {
        var start = from.adding(minutes: profile.bufferBeforeMinutes)
        start = Instant(millisecondsSinceEpoch: (start.millisecondsSinceEpoch + 59_999) / 60_000 * 60_000)
        while start.adding(minutes: profile.meetingMinutes + profile.bufferAfterMinutes) <= to {
            let local = Self.local(start, zone, isEnd: false)
            let slot = (
                start.adding(minutes: -profile.bufferBeforeMinutes),
                start.adding(minutes: profile.meetingMinutes + profile.bufferAfterMinutes)
            )
            if local.minute % profile.startIncrementMinutes == 0
                && !blocking.contains(where: { $0.0 < slot.1 && slot.0 < $0.1 })
            {
                return true
            }
            start = start.adding(minutes: 1)
        }
        return false
    }

    @Test func durationsAreConservedAndEveryActivityIsPlacedOrExplained() async {
        await Self.check { scenario, plan in
            let maxBlock = scenario.settings.maxBlockMinutes
            let unscheduled = Set(plan.unscheduled.map(\.activityId))
            for activity in scenario.technician.nextActivities {
                let blocks = plan.calendar.filter { $0.activityId == activity.id }
                if unscheduled.contains(activity.id) {
                    #expect(blocks.isEmpty)
                    #expect(activity.startedAt == nil)
                    continue
                }
                let minutes = blocks.reduce(Int64(0)) {
                    $0 + ($1.end.millisecondsSinceEpoch - $1.start.millisecondsSinceEpoch) / 60_000
                }
                if activity.startedAt == nil {
                    #expect(minutes == Int64(activity.durationMinutes))
                    #expect(blocks.count == (activity.durationMinutes + maxBlock - 1) / maxBlock)
                    #expect(blocks.map(\.part) == Array(1...blocks.count))
                    #expect(
                        blocks.allSatisfy {
                            $0.parts == blocks.count
                                && $0.end.millisecondsSinceEpoch - $0.start.millisecondsSinceEpoch <= Int64(maxBlock)
                                    * 60_000
                        })
                } else {
                    #expect(blocks.count == 1 && blocks[0].start == activity.startedAt)
                }
            }
            #expect(plan.calendar.map(\.start) == plan.calendar.map(\.start).sorted())
        }
    }

    @Test func workboardOrderIsTheRuleAndIgnoresCalendarSettings() async {
        await Self.check { scenario, plan in
            let expected = scenario.technician.nextActivities.sorted { a, b in
                switch (a.startedAt, b.startedAt) {
                case (let x?, let y?):
                    return x != y ? x < y : Array(a.id.utf8).lexicographicallyPrecedes(Array(b.id.utf8))
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil):
                    if a.priority != b.priority { return a.priority < b.priority }
                    if a.ticketCreated != b.ticketCreated { return a.ticketCreated < b.ticketCreated }
                    return Array(a.id.utf8).lexicographicallyPrecedes(Array(b.id.utf8))
                }
            }.map(\.id)
            #expect(plan.order == expected)
            var packed = scenario.problem
            packed.settings.minMinutesFreeBetweenActivities = 0
            packed.settings.bookingProfile = nil
            packed.settings.alignmentMinutes = 1
            #expect(Planner.plan(packed).technicians[0].workboard == plan.workboard)
        }
    }

    @Test func workPlanEstimatesAreConsistent() async {
        await Self.check { scenario, plan in
            let now = scenario.problem.now
            let horizonEnd = now.adding(minutes: scenario.settings.horizonDays * 1440)
            var previousFinish: Instant?
            for entry in plan.workboard {
                let activity = scenario.technician.nextActivities.first { $0.id == entry.activityId }!
                #expect((entry.estimatedStart == nil) == (entry.estimatedFinish == nil))
                if let due = activity.dueDateTime {
                    #expect(entry.atRisk == (entry.estimatedFinish.map { $0 > due } ?? true))
                } else {
                    #expect(!entry.atRisk)
                }
                // The kinds of risk the pages show say the same as the planner's flag.
                #expect((DueDateRisk(entry)?.isAtRisk ?? false) == entry.atRisk)
                guard let start = entry.estimatedStart, let finish = entry.estimatedFinish else { continue }
                #expect(finish <= horizonEnd && finish >= now)
                if activity.startedAt == nil {
                    #expect(start >= now && start >= (activity.sleepUntil ?? now))
                    #expect(
                        finish.millisecondsSinceEpoch - start.millisecondsSinceEpoch >= Int64(activity.durationMinutes)
                            * 60_000)
                    // Without sleepers, work runs in Workboard order.
                    if !scenario.technician.nextActivities.contains(where: { $0.sleepUntil.map { $0 > now } ?? false }),
                        let previousFinish
                    {
                        #expect(start >= previousFinish)
                    }
                }
                previousFinish = finish
            }
        }
    }

    @Test func planningIsDeterministic() async {
        await Self.check { scenario, plan in
            let again = Planner.plan(scenario.problem)
            #expect(again.technicians[0] == plan)
            #expect(
                PlanDocumentWriter.bytes(for: again)
                    == PlanDocumentWriter.bytes(for: PlanAnswer(technicians: [plan])))
        }
    }
}
