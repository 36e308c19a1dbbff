import LiftoffCore
import Testing

/// `CalendarInsight`, what the dispatcher calendar adds to a plan: working time as instants (zone
/// rules and daylight saving resolved), the free time left in it, and the sentence that explains why
/// each block sits where it does.
///
/// Problems are built the public way — a `liftoff plan` document (`docs/plan-format.md`) read by
/// `PlanDocumentReader` and planned by `Planner.plan` — and every expected instant is worked out by
/// hand in the comments. Unless a test says otherwise the technician works Monday to Friday
/// 09:00–17:00 in America/New_York; the week of 2026-03-02 is still on EST (UTC−5), so 09:00 local
/// is 14:00Z and 17:00 local is 22:00Z. `now` is Monday 2026-03-02 08:00 local (13:00Z), and every
/// ticket was created on Sunday 1 March at 12:00Z, which the explanations print as "Sun 1 Mar 07:00".
@Suite struct CalendarInsightTests {
    // MARK: - Building problems

    /// Monday 2026-03-02 08:00 in New York.
    static let mondayMorning = "2026-03-02T13:00:00Z"
    /// Monday 2026-03-02 00:00 and Tuesday 2026-03-03 00:00 in New York: the whole of Monday.
    static let mondayStart = "2026-03-02T05:00:00Z"
    static let tuesdayStart = "2026-03-03T05:00:00Z"

    /// `["HH:MM", "HH:MM"]` for each shift.
    static func shifts(_ pairs: [(String, String)]) -> JSONValue {
        .array(pairs.map { .array([.string($0.0), .string($0.1)]) })
    }

    /// A weekly schedule with the same shifts on each of `days` (`mon`…`sun`).
    static func weekly(_ days: [String], _ pairs: [(String, String)]) -> JSONValue {
        var object = JSONObject()
        for day in days { object[day] = shifts(pairs) }
        return .object(object)
    }

    static let weekdays = CalendarInsightTests.weekly(["mon", "tue", "wed", "thu", "fri"], [("09:00", "17:00")])

    static func busy(
        _ kind: String, _ start: String, _ end: String, showAs: String? = nil, status: String? = nil,
        title: String? = nil
    ) -> JSONValue {
        var object = JSONObject()
        object["kind"] = .string(kind)
        object["start"] = .string(start)
        object["end"] = .string(end)
        if let showAs { object["showAs"] = .string(showAs) }
        if let status { object["status"] = .string(status) }
        if let title { object["title"] = .string(title) }
        return .object(object)
    }

    static func activity(
        _ id: String, priority: Int64 = 1, minutes: Int64, sleepUntil: String? = nil, due: String? = nil
    ) -> JSONValue {
        var object = JSONObject()
        object["id"] = .string(id)
        object["priority"] = .integer(priority)
        object["durationMinutes"] = .integer(minutes)
        object["ticketCreated"] = .string("2026-03-01T12:00:00Z")
        if let sleepUntil { object["sleepUntil"] = .string(sleepUntil) }
        if let due { object["dueDateTime"] = .string(due) }
        return .object(object)
    }

    /// One technician's problem read from a plan document, planned, with what `CalendarInsight` needs.
    struct Scenario {
        let problem: PlanningProblem
        let answer: PlanAnswer

        var technician: Technician { problem.technicians[0] }
        var plan: TechnicianPlan { answer.technicians[0] }
        /// The technician's effective settings: the site's with the technician's overrides.
        var settings: Settings { problem.settings.applying(technician.settings) }
        var now: Instant { problem.now }

        init(
            now: String = CalendarInsightTests.mondayMorning, zone: String = "America/New_York",
            weekly: JSONValue = CalendarInsightTests.weekdays, busy: [JSONValue] = [], activities: [JSONValue] = [],
            settings: JSONObject = JSONObject(), technicianSettings: JSONObject = JSONObject()
        ) throws {
            var technician = JSONObject()
            technician["id"] = .string("T1")
            technician["timeZone"] = .string(zone)
            var schedule = JSONObject()
            schedule["weekly"] = weekly
            technician["workSchedule"] = .object(schedule)
            technician["busy"] = .array(busy)
            technician["nextActivities"] = .array(activities)
            if !technicianSettings.keys.isEmpty { technician["settings"] = .object(technicianSettings) }
            var root = JSONObject()
            root["now"] = .string(now)
            if !settings.keys.isEmpty { root["settings"] = .object(settings) }
            root["technicians"] = .array([.object(technician)])
            problem = try PlanDocumentReader.problem(from: .object(root))
            answer = Planner.plan(problem)
        }

        func freeTime(from: String, to: String) -> [CalendarInsight.Interval] {
            CalendarInsight.freeTime(
                technician: technician, plan: plan, settings: settings, from: Fixture.instant(from),
                to: Fixture.instant(to), now: now)
        }

        func workingTime(from: String, to: String) -> [CalendarInsight.Interval] {
            CalendarInsight.workingTime(technician: technician, from: Fixture.instant(from), to: Fixture.instant(to))
        }

        /// The explanation of block `part` of activity `id`.
        func explanation(of id: String, part: Int = 1) throws -> String {
            let found = plan.calendar.first { $0.activityId == id && $0.part == part }
            let block = try #require(found, "no block \(part) of \(id) in \(plan.blockSummary)")
            return CalendarInsight.explanation(
                of: block, technician: technician, plan: plan, settings: settings, now: now)
        }
    }

    /// Site settings with the minimum free time between activities (and other fields) set.
    static func settings(minFree: Int64? = nil, alignment: Int64? = nil, maxBlock: Int64? = nil) -> JSONObject {
        var object = JSONObject()
        if let minFree { object["minMinutesFreeBetweenActivities"] = .integer(minFree) }
        if let alignment { object["alignmentMinutes"] = .integer(alignment) }
        if let maxBlock { object["maxBlockMinutes"] = .integer(maxBlock) }
        return object
    }

    /// The Monday of the first test: a "Customer call" 11:00–12:00 local (16:00–17:00Z) and two
    /// one-hour activities, NA-1 (priority 1) and NA-2 (priority 2).
    static func mondayWithCall(minFree: Int64) throws -> Scenario {
        try Scenario(
            busy: [busy("external", "2026-03-02T16:00:00Z", "2026-03-02T17:00:00Z", title: "Customer call")],
            activities: [activity("NA-1", priority: 1, minutes: 60), activity("NA-2", priority: 2, minutes: 60)],
            settings: settings(minFree: minFree))
    }

    // MARK: - Free time

    /// A case of ``freeTimeIsWorkingTimeLessBlocksAndMeetings(_:)``.
    struct MondayCase: Sendable, CustomTestStringConvertible {
        let minFree: Int64
        let blocks: [String]
        let free: [String]
        var testDescription: String { "\(minFree) minutes free between activities" }
    }

    static let mondayCases = [
        MondayCase(
            minFree: 0,
            blocks: [
                "NA-1 2026-03-02T14:00:00Z–2026-03-02T15:00:00Z", "NA-2 2026-03-02T15:00:00Z–2026-03-02T16:00:00Z",
            ],
            free: ["2026-03-02T17:00:00Z–2026-03-02T22:00:00Z"]),
        MondayCase(
            minFree: 30,
            blocks: [
                "NA-1 2026-03-02T14:00:00Z–2026-03-02T15:00:00Z", "NA-2 2026-03-02T17:00:00Z–2026-03-02T18:00:00Z",
            ],
            free: ["2026-03-02T15:00:00Z–2026-03-02T16:00:00Z", "2026-03-02T18:00:00Z–2026-03-02T22:00:00Z"]),
        MondayCase(
            minFree: 60,
            blocks: [
                "NA-1 2026-03-02T14:00:00Z–2026-03-02T15:00:00Z", "NA-2 2026-03-02T17:00:00Z–2026-03-02T18:00:00Z",
            ],
            free: ["2026-03-02T15:00:00Z–2026-03-02T16:00:00Z", "2026-03-02T18:00:00Z–2026-03-02T22:00:00Z"]),
    ]

    /// With no free time required, NA-1 takes the shift start 09:00–10:00 (14:00–15:00Z) and NA-2
    /// follows at 10:00–11:00 (15:00–16:00Z), right up to the call; blocks and call together fill
    /// 09:00–12:00, so Monday's only free time is 12:00–17:00 (17:00–22:00Z).
    ///
    /// With 30 or 60 minutes required, NA-2 may start no earlier than 10:30 or 11:00 after NA-1 ends
    /// at 10:00; an hour from either runs into the call (11:00–12:00), so NA-2 goes right after it,
    /// 12:00–13:00 (17:00–18:00Z) — the gap before it holds 10:00–11:00, 60 contiguous minutes of work
    /// time. Free: 10:00–11:00 (15:00–16:00Z) and 13:00–17:00 (18:00–22:00Z).
    @Test(arguments: mondayCases)
    func freeTimeIsWorkingTimeLessBlocksAndMeetings(_ monday: MondayCase) throws {
        let scenario = try Self.mondayWithCall(minFree: monday.minFree)
        #expect(scenario.plan.blockSummary == monday.blocks)
        let found = scenario.freeTime(from: Self.mondayStart, to: Self.tuesdayStart)
        #expect(found.map(\.text) == monday.free)
        Self.expectFreeTimeIsExact(found, in: scenario, from: Self.mondayStart, to: Self.tuesdayStart)
    }

    /// A busier week — split shifts on Wednesday, every kind of busy item (a free external event, a
    /// closed fixed appointment that no longer blocks, time off, an item running past the end of a
    /// shift), sleeping and split activities — checked against the definition rather than by value:
    /// free time lies inside working time after `now`, overlaps no block and no blocking item, and
    /// free plus occupied time add up to exactly the working time.
    @Test(arguments: [Int64(0), 30, 60, 90], [true, false])
    func freeTimeIsExactlyTheUnoccupiedWorkingTime(minFree: Int64, blockOnFree: Bool) throws {
        var weekly = JSONObject()
        for day in ["mon", "tue", "thu", "fri"] { weekly[day] = Self.shifts([("09:00", "17:00")]) }
        weekly["wed"] = Self.shifts([("08:00", "12:00"), ("13:00", "17:00")])
        var settings = Self.settings(minFree: minFree)
        settings["blockOnFreeExternalAppointments"] = .bool(blockOnFree)
        let scenario = try Scenario(
            weekly: .object(weekly),
            busy: [
                Self.busy("external", "2026-03-02T16:00:00Z", "2026-03-02T17:00:00Z", title: "Customer call"),
                Self.busy("external", "2026-03-03T15:00:00Z", "2026-03-03T16:00:00Z", showAs: "free"),
                Self.busy("fixed", "2026-03-03T19:00:00Z", "2026-03-03T20:00:00Z", status: "closed"),
                Self.busy("imported", "2026-03-04T16:30:00Z", "2026-03-04T18:30:00Z"),
                Self.busy("timeOff", "2026-03-05T13:00:00Z", "2026-03-05T23:00:00Z"),
                Self.busy("external", "2026-03-06T21:30:00Z", "2026-03-06T23:00:00Z", showAs: "tentative"),
                Self.busy("fixed", "2026-03-06T14:00:00Z", "2026-03-06T14:30:00Z"),
            ],
            activities: [
                Self.activity("A", priority: 1, minutes: 90),
                Self.activity("B", priority: 2, minutes: 60),
                Self.activity("C", priority: 3, minutes: 300),
                Self.activity("D", priority: 2, minutes: 45, sleepUntil: "2026-03-03T18:00:00Z"),
                Self.activity("E", priority: 4, minutes: 30, due: "2026-03-02T20:00:00Z"),
                Self.activity("F", priority: 5, minutes: 600),
            ],
            settings: settings)
        // Monday 00:00 to Saturday 00:00 in New York, all on EST.
        let from = "2026-03-02T05:00:00Z"
        let to = "2026-03-07T05:00:00Z"
        #expect(scenario.plan.unscheduled.isEmpty)
        let free = scenario.freeTime(from: from, to: to)
        #expect(!free.isEmpty)
        Self.expectFreeTimeIsExact(free, in: scenario, from: from, to: to)

        // Every block is explained, the same way by the one-off function and by a shared Explainer.
        let explainer = CalendarInsight.Explainer(
            technician: scenario.technician, plan: scenario.plan, settings: scenario.settings, now: scenario.now)
        for block in scenario.plan.calendar {
            let text = CalendarInsight.explanation(
                of: block, technician: scenario.technician, plan: scenario.plan, settings: scenario.settings,
                now: scenario.now)
            #expect(text == explainer.explain(block))
            #expect(text.hasPrefix("Position "))
            #expect(text.contains(" of 6 in Workboard order"))
            #expect(text.hasSuffix("."))
        }
    }

    /// `now` is Monday 10:15 (15:15Z), in the middle of the shift and of an imported service call
    /// 09:30–10:30 (14:30–15:30Z). NA-1 (60 min) can start at the aligned 10:15 but would overlap
    /// the call, so it takes 10:30–11:30 (15:30–16:30Z). Nothing before `now` is free — not even
    /// 09:00–09:30, which no one occupies — so Monday's free time starts at 11:30 (16:30Z), and
    /// Tuesday's shift is free whole: 09:00–17:00 (14:00–22:00Z).
    @Test func freeTimeNeverStartsBeforeNow() throws {
        let scenario = try Scenario(
            now: "2026-03-02T15:15:00Z",
            busy: [Self.busy("imported", "2026-03-02T14:30:00Z", "2026-03-02T15:30:00Z")],
            activities: [Self.activity("NA-1", minutes: 60)])
        #expect(scenario.plan.blockSummary == ["NA-1 2026-03-02T15:30:00Z–2026-03-02T16:30:00Z"])
        let free = scenario.freeTime(from: Self.mondayStart, to: "2026-03-04T05:00:00Z")
        #expect(
            free.map(\.text) == [
                "2026-03-02T16:30:00Z–2026-03-02T22:00:00Z",
                "2026-03-03T14:00:00Z–2026-03-03T22:00:00Z",
            ])
        #expect(free.allSatisfy { $0.start >= scenario.now })
        Self.expectFreeTimeIsExact(free, in: scenario, from: Self.mondayStart, to: "2026-03-04T05:00:00Z")
    }

    /// `now` at an odd minute with nothing planned: free time starts exactly at `now` (10:17, 15:17Z),
    /// not on any grid.
    @Test func freeTimeStartsExactlyAtNow() throws {
        let scenario = try Scenario(now: "2026-03-02T15:17:00Z")
        let free = scenario.freeTime(from: Self.mondayStart, to: Self.tuesdayStart)
        #expect(free.map(\.text) == ["2026-03-02T15:17:00Z–2026-03-02T22:00:00Z"])
    }

    /// Windows with nothing in them, with `now` at Monday 10:15 (15:15Z): empty, reversed, over
    /// before `now`, or ending at `now`.
    @Test(arguments: [
        ("2026-03-02T16:00:00Z", "2026-03-02T16:00:00Z"),
        ("2026-03-02T18:00:00Z", "2026-03-02T16:00:00Z"),
        ("2026-03-02T05:00:00Z", "2026-03-02T15:00:00Z"),
        ("2026-03-02T05:00:00Z", "2026-03-02T15:15:00Z"),
    ])
    func freeTimeOfAWindowWithNothingLeftIsEmpty(from: String, to: String) throws {
        let scenario = try Scenario(now: "2026-03-02T15:15:00Z", activities: [Self.activity("NA-1", minutes: 60)])
        #expect(scenario.freeTime(from: from, to: to).isEmpty)
    }

    /// A case of ``anEventMarkedFreeBlocksOnlyWhenTheSettingSaysSo(_:)``.
    struct FreeEventCase: Sendable, CustomTestStringConvertible {
        let blockOnFree: Bool
        let blocks: [String]
        let free: [String]
        let freeWithoutWork: [String]
        let reason: String
        var testDescription: String { "blockOnFreeExternalAppointments \(blockOnFree)" }
    }

    static let freeEventCases = [
        FreeEventCase(
            blockOnFree: false, blocks: ["NA-1 2026-03-02T14:00:00Z–2026-03-02T17:00:00Z"],
            free: ["2026-03-02T17:00:00Z–2026-03-02T22:00:00Z"],
            freeWithoutWork: ["2026-03-02T14:00:00Z–2026-03-02T22:00:00Z"],
            reason: "It starts when working hours begin, at Mon 2 Mar 09:00."),
        FreeEventCase(
            blockOnFree: true, blocks: ["NA-1 2026-03-02T17:00:00Z–2026-03-02T20:00:00Z"],
            free: ["2026-03-02T14:00:00Z–2026-03-02T16:00:00Z", "2026-03-02T20:00:00Z–2026-03-02T22:00:00Z"],
            freeWithoutWork: [
                "2026-03-02T14:00:00Z–2026-03-02T16:00:00Z", "2026-03-02T17:00:00Z–2026-03-02T22:00:00Z",
            ],
            reason: "Pushed by the appointment “Lunch and learn”, which ends at Mon 2 Mar 12:00."),
    ]

    /// A "Lunch and learn" 11:00–12:00 (16:00–17:00Z) marked free, and NA-1 of three hours; the flag
    /// is set for the technician, overriding the site's default (on).
    ///
    /// Off: the event blocks nothing, NA-1 takes 09:00–12:00 (14:00–17:00Z) straight through it, and
    /// 12:00–17:00 is free (without NA-1 the whole shift, 14:00–22:00Z, would be).
    /// On: 09:00–11:00 is too short for three hours, so NA-1 goes right after the event, 12:00–15:00
    /// (17:00–20:00Z); free time is 09:00–11:00 and 15:00–17:00 (without NA-1, everything but the event).
    @Test(arguments: freeEventCases)
    func anEventMarkedFreeBlocksOnlyWhenTheSettingSaysSo(_ event: FreeEventCase) throws {
        let blockOnFree = event.blockOnFree
        var overrides = JSONObject()
        overrides["blockOnFreeExternalAppointments"] = .bool(blockOnFree)
        let lunch = Self.busy(
            "external", "2026-03-02T16:00:00Z", "2026-03-02T17:00:00Z", showAs: "free", title: "Lunch and learn")

        let scenario = try Scenario(
            busy: [lunch], activities: [Self.activity("NA-1", minutes: 180)], technicianSettings: overrides)
        #expect(scenario.settings.blockOnFreeExternalAppointments == blockOnFree)
        #expect(scenario.plan.blockSummary == event.blocks)
        let found = scenario.freeTime(from: Self.mondayStart, to: Self.tuesdayStart)
        #expect(found.map(\.text) == event.free)
        let text = try scenario.explanation(of: "NA-1")
        #expect(text.hasSuffix(event.reason))

        let idle = try Scenario(busy: [lunch], technicianSettings: overrides)
        let idleFree = idle.freeTime(from: Self.mondayStart, to: Self.tuesdayStart)
        #expect(idleFree.map(\.text) == event.freeWithoutWork)
    }

    // MARK: - Working time

    /// A case of ``workingTimeOnTheSpringForwardSunday(_:)``.
    struct SundayShift: Sendable, CustomTestStringConvertible {
        let start: String
        let end: String
        let expected: [String]
        var testDescription: String { "\(start)–\(end)" }
    }

    static let springForwardShifts = [
        SundayShift(start: "01:00", end: "05:00", expected: ["2026-03-08T06:00:00Z–2026-03-08T09:00:00Z"]),
        SundayShift(start: "02:30", end: "04:00", expected: ["2026-03-08T07:00:00Z–2026-03-08T08:00:00Z"]),
        SundayShift(start: "02:00", end: "03:00", expected: []),
        SundayShift(start: "00:00", end: "24:00", expected: ["2026-03-08T05:00:00Z–2026-03-09T04:00:00Z"]),
    ]

    /// New York springs forward on Sunday 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z. Local
    /// midnight is 05:00Z (EST), the next midnight 04:00Z (EDT).
    /// - 01:00–05:00 runs from 01:00 EST (06:00Z) to 05:00 EDT (09:00Z): three hours of real time.
    /// - 02:30 does not exist and becomes the instant of the change (07:00Z); 04:00 EDT is 08:00Z.
    /// - 02:00–03:00 is swallowed whole (both ends are 07:00Z) and left out.
    /// - 00:00–24:00 lasts 23 hours, 05:00Z to 04:00Z on Monday.
    @Test(arguments: springForwardShifts)
    func workingTimeOnTheSpringForwardSunday(_ shift: SundayShift) throws {
        let scenario = try Scenario(
            now: "2026-03-07T00:00:00Z", weekly: Self.weekly(["sun"], [(shift.start, shift.end)]))
        let shifts = scenario.workingTime(from: "2026-03-08T05:00:00Z", to: "2026-03-09T04:00:00Z")
        #expect(shifts.map(\.text) == shift.expected)
    }

    /// The same Sunday shift, 01:00–05:00, lasts four hours the Sunday before (EST: 06:00–10:00Z) and
    /// the Sunday after (EDT: 05:00–09:00Z), and three on the day of the change.
    @Test func aShiftAcrossTheChangeLastsTheRealTimeBetweenItsEnds() throws {
        let scenario = try Scenario(
            now: "2026-02-28T00:00:00Z", weekly: Self.weekly(["sun"], [("01:00", "05:00")]))
        let shifts = scenario.workingTime(from: "2026-03-01T00:00:00Z", to: "2026-03-16T00:00:00Z")
        #expect(
            shifts.map(\.text) == [
                "2026-03-01T06:00:00Z–2026-03-01T10:00:00Z",
                "2026-03-08T06:00:00Z–2026-03-08T09:00:00Z",
                "2026-03-15T05:00:00Z–2026-03-15T09:00:00Z",
            ])
        #expect(shifts.map(\.minutes) == [240, 180, 240])
    }

    /// Zones off the whole hour: 09:00–17:00 on Monday 2026-03-02 is 03:15–11:15Z in Kathmandu
    /// (+05:45) and 03:30–11:30Z in Kolkata (+05:30). Tuesday's shift starts after the window.
    @Test(arguments: [
        ("Asia/Kathmandu", "2026-03-02T03:15:00Z–2026-03-02T11:15:00Z"),
        ("Asia/Kolkata", "2026-03-02T03:30:00Z–2026-03-02T11:30:00Z"),
    ])
    func workingTimeInZonesOffTheHour(zone: String, expected: String) throws {
        let scenario = try Scenario(now: "2026-03-01T00:00:00Z", zone: zone)
        let shifts = scenario.workingTime(from: "2026-03-02T00:00:00Z", to: "2026-03-03T00:00:00Z")
        #expect(shifts.map(\.text) == [expected])
    }

    /// Shifts touching the window come back whole, as the documentation says: a window of Monday
    /// 12:00–13:00 (17:00–18:00Z) returns Monday's 09:00–17:00 shift (14:00–22:00Z).
    @Test func workingTimeReturnsTheShiftsTouchingTheWindowWhole() throws {
        let scenario = try Scenario()
        let shifts = scenario.workingTime(from: "2026-03-02T17:00:00Z", to: "2026-03-02T18:00:00Z")
        #expect(shifts.map(\.text) == ["2026-03-02T14:00:00Z–2026-03-02T22:00:00Z"])
    }

    @Test(arguments: [
        ("2026-03-02T16:00:00Z", "2026-03-02T16:00:00Z"),
        ("2026-03-03T16:00:00Z", "2026-03-02T16:00:00Z"),
    ])
    func workingTimeOfAnEmptyOrReversedWindowIsEmpty(from: String, to: String) throws {
        let scenario = try Scenario()
        #expect(scenario.workingTime(from: from, to: to).isEmpty)
    }

    // MARK: - Explanations

    /// No free time required (the first test's Monday): NA-1 opens the shift at 09:00; NA-2 follows
    /// it at 10:00, when NA-1 ends.
    @Test func theFirstBlockStartsWithWorkingHoursAndTheNextFollowsIt() throws {
        let scenario = try Self.mondayWithCall(minFree: 0)
        let first = try scenario.explanation(of: "NA-1")
        let second = try scenario.explanation(of: "NA-2")
        let expectedFirst =
            "Position 1 of 2 in Workboard order (priority 1, ticket created Sun 1 Mar 07:00). "
            + "It starts when working hours begin, at Mon 2 Mar 09:00."
        let expectedSecond =
            "Position 2 of 2 in Workboard order (priority 2, ticket created Sun 1 Mar 07:00). "
            + "Pushed by the block of NA-1 (position 1), which ends at Mon 2 Mar 10:00."
        #expect(first.contains("Position 1 of 2 in Workboard order"))
        #expect(first.contains("starts when working hours begin"))
        #expect(first == expectedFirst)
        #expect(second == expectedSecond)
        #expect(!second.contains("keeping"))
    }

    /// 60 free minutes required and no meetings: NA-1 takes 09:00–10:00 (14:00–15:00Z) and NA-2 the
    /// first start an hour later, 11:00–12:00 (16:00–17:00Z).
    @Test func aBlockPushedByTheOneBeforeKeepsTheFreeTime() throws {
        let scenario = try Scenario(
            activities: [
                Self.activity("NA-1", priority: 1, minutes: 60), Self.activity("NA-2", priority: 2, minutes: 60),
            ],
            settings: Self.settings(minFree: 60))
        #expect(
            scenario.plan.blockSummary == [
                "NA-1 2026-03-02T14:00:00Z–2026-03-02T15:00:00Z", "NA-2 2026-03-02T16:00:00Z–2026-03-02T17:00:00Z",
            ])
        let text = try scenario.explanation(of: "NA-2")
        #expect(text.contains("Position 2 of 2 in Workboard order"))
        #expect(text.contains("Pushed by the block of NA-1"))
        #expect(text.contains("keeping 60 minutes free between activities"))
        let reason =
            "Pushed by the block of NA-1 (position 1), which ends at Mon 2 Mar 10:00, "
            + "keeping 60 minutes free between activities."
        #expect(text.hasSuffix(reason))
    }

    /// A case of ``aBlockRightAfterABusyItemNamesIt(_:)``.
    struct Pusher: Sendable, CustomTestStringConvertible {
        let kind: String
        let title: String?
        let reason: String
        var testDescription: String { "\(kind) \(title ?? "without a title")" }
    }

    static let busyItemsBeforeTheBlock = [
        Pusher(
            kind: "external", title: "Customer call",
            reason: "Pushed by the appointment “Customer call”, which ends at Mon 2 Mar 10:00."),
        Pusher(
            kind: "imported", title: "TimeZest",
            reason: "Pushed by the imported service call “TimeZest”, which ends at Mon 2 Mar 10:00."),
        Pusher(
            kind: "fixed", title: "Site visit",
            reason: "Pushed by the fixed appointment “Site visit”, which ends at Mon 2 Mar 10:00."),
        Pusher(
            kind: "timeOff", title: "Dentist", reason: "Pushed by time off “Dentist”, which ends at Mon 2 Mar 10:00."),
        Pusher(kind: "external", title: nil, reason: "Pushed by the appointment, which ends at Mon 2 Mar 10:00."),
    ]

    /// A blocking item 09:00–10:00 (14:00–15:00Z) pushes NA-1 to 10:00; the explanation names the
    /// item by kind and title.
    @Test(arguments: busyItemsBeforeTheBlock)
    func aBlockRightAfterABusyItemNamesIt(_ pusher: Pusher) throws {
        let title = pusher.title
        let scenario = try Scenario(
            busy: [Self.busy(pusher.kind, "2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z", title: title)],
            activities: [Self.activity("NA-1", minutes: 60)])
        #expect(scenario.plan.blockSummary == ["NA-1 2026-03-02T15:00:00Z–2026-03-02T16:00:00Z"])
        let text = try scenario.explanation(of: "NA-1")
        let expected =
            "Position 1 of 1 in Workboard order (priority 1, ticket created Sun 1 Mar 07:00). " + pusher.reason
        #expect(text == expected)
        if let title { #expect(text.contains("“\(title)”")) }
    }

    /// NA-1 sleeps until 13:02 (18:02Z) and starts on the next 5-minute step, 13:05 (18:05Z).
    /// NA-1 (priority 1) needs 90 minutes, but Monday 09:00–10:00 holds only 60 before the "Weekly
    /// sync" at 10:00 (15:00Z), so it goes after the meeting, at 11:00; NA-2 (priority 2, 30 minutes)
    /// takes 09:00–09:30 (with 30 minutes kept free, 09:30–10:00 still holds them before the meeting).
    /// The dispatcher sees a lower item first and is told why, with the meeting named; NA-1's own
    /// explanation has no such sentence.
    @Test(arguments: [Int64(0), 30])
    func aLowerItemBeforeAHigherOneSaysTheHigherDidNotFit(minFree: Int64) throws {
        let scenario = try Scenario(
            busy: [Self.busy("external", "2026-03-02T15:00:00Z", "2026-03-02T16:00:00Z", title: "Weekly sync")],
            activities: [
                Self.activity("NA-1", priority: 1, minutes: 90), Self.activity("NA-2", priority: 2, minutes: 30),
            ],
            settings: Self.settings(minFree: minFree))
        #expect(
            scenario.plan.blockSummary == [
                "NA-2 2026-03-02T14:00:00Z–2026-03-02T14:30:00Z", "NA-1 2026-03-02T16:00:00Z–2026-03-02T17:30:00Z",
            ])
        let kept = minFree > 0 ? " with the 30 minutes kept free between activities" : ""
        let lower = try scenario.explanation(of: "NA-2")
        #expect(
            lower.contains(
                "It comes before position 1 (NA-1), which stands higher but starts later, at Mon 2 Mar 11:00: its "
                    + "90 minutes did not fit\(kept) in the 60 minutes from Mon 2 Mar 09:00 to the appointment "
                    + "“Weekly sync” at Mon 2 Mar 10:00; this shorter block did."), "\(lower)")
        #expect(!(try scenario.explanation(of: "NA-1")).contains("It comes before"))
    }

    /// A higher item that sleeps past the lower one's start is named with its wake-up time.
    @Test func aLowerItemBeforeASleepingHigherOneSaysItSleeps() throws {
        let scenario = try Scenario(
            activities: [
                Self.activity("NA-1", priority: 1, minutes: 60, sleepUntil: "2026-03-02T18:00:00Z"),
                Self.activity("NA-2", priority: 2, minutes: 60),
            ])
        let lower = try scenario.explanation(of: "NA-2")
        #expect(lower.contains("It comes before position 1 (NA-1)"), "\(lower)")
        #expect(lower.contains("it sleeps until Mon 2 Mar 13:00."), "\(lower)")
    }

    @Test func aSleepingActivityStartsWhenItWakes() throws {
        let scenario = try Scenario(
            activities: [Self.activity("NA-1", minutes: 60, sleepUntil: "2026-03-02T18:02:00Z")])
        #expect(scenario.plan.blockSummary == ["NA-1 2026-03-02T18:05:00Z–2026-03-02T19:05:00Z"])
        let text = try scenario.explanation(of: "NA-1")
        #expect(text.contains("sleeps until"))
        #expect(text.hasSuffix("It sleeps until Mon 2 Mar 13:02, so it starts then."))
    }

    /// `now` is 10:02 (15:02Z), in the shift with nothing planned: NA-1 starts on the first step of
    /// the grid after `now` — 10:05, 10:15 or 11:00.
    @Test(arguments: [
        (Int64(5), "NA-1 2026-03-02T15:05:00Z–2026-03-02T16:05:00Z"),
        (Int64(15), "NA-1 2026-03-02T15:15:00Z–2026-03-02T16:15:00Z"),
        (Int64(60), "NA-1 2026-03-02T16:00:00Z–2026-03-02T17:00:00Z"),
    ])
    func aBlockStartingRightAwayStartsAsSoonAsPossible(alignment: Int64, block: String) throws {
        let scenario = try Scenario(
            now: "2026-03-02T15:02:00Z", activities: [Self.activity("NA-1", minutes: 60)],
            settings: Self.settings(alignment: alignment))
        #expect(scenario.plan.blockSummary == [block])
        let text = try scenario.explanation(of: "NA-1")
        #expect(text.hasSuffix("It starts as soon as possible: now, on the \(alignment)-minute grid."))
    }

    /// A case of ``anActivityThatCannotFinishBeforeItIsDueIsAtRisk(_:)``.
    struct DueDate: Sendable, CustomTestStringConvertible {
        let due: String
        let dueText: String
        let atRisk: Bool
        var testDescription: String { "due \(dueText)" }
    }

    static let dueDates = [
        DueDate(due: "2026-03-02T15:00:00Z", dueText: "Mon 2 Mar 10:00", atRisk: true),
        DueDate(due: "2026-03-02T16:00:00Z", dueText: "Mon 2 Mar 11:00", atRisk: false),
        DueDate(due: "2026-03-02T18:00:00Z", dueText: "Mon 2 Mar 13:00", atRisk: false),
    ]

    /// NA-1 of two hours, worked from the shift start 09:00 (14:00Z), finishes at 11:00 (16:00Z) in the
    /// work plan. It is at risk when due before that (10:00); finishing exactly when due is on time.
    @Test(arguments: dueDates)
    func anActivityThatCannotFinishBeforeItIsDueIsAtRisk(_ dueDate: DueDate) throws {
        let (dueText, atRisk) = (dueDate.dueText, dueDate.atRisk)
        let scenario = try Scenario(activities: [Self.activity("NA-1", minutes: 120, due: dueDate.due)])
        let entry = try #require(scenario.plan.entry("NA-1"))
        #expect(entry.estimatedFinish == Fixture.instant("2026-03-02T16:00:00Z"))
        #expect(entry.atRisk == atRisk)
        let text = try scenario.explanation(of: "NA-1")
        let order = "Position 1 of 1 in Workboard order (priority 1, ticket created Sun 1 Mar 07:00, due \(dueText))."
        #expect(text.hasPrefix(order))
        // At risk says by how much: due 10:00, finishing 11:00.
        #expect(
            text.contains("At risk: due \(dueText); the work finishes Mon 2 Mar 11:00, 1 h late.") == atRisk, "\(text)")
        #expect(text.contains("At risk") == atRisk)
        #expect(text.hasSuffix("It starts when working hours begin, at Mon 2 Mar 09:00."))
    }

    /// Two hours with a maximum block of one: 09:00–10:00 and 10:00–11:00 (14:00–16:00Z); the second
    /// block follows the first.
    @Test func theBlocksOfASplitActivitySayWhichPartTheyAre() throws {
        let scenario = try Scenario(
            activities: [Self.activity("NA-1", minutes: 120)], settings: Self.settings(maxBlock: 60))
        #expect(
            scenario.plan.blockSummary == [
                "NA-1 2026-03-02T14:00:00Z–2026-03-02T15:00:00Z 1/2",
                "NA-1 2026-03-02T15:00:00Z–2026-03-02T16:00:00Z 2/2",
            ])
        let first = try scenario.explanation(of: "NA-1", part: 1)
        #expect(first.contains("Block 1 of 2: longer work is split at the maximum block length."))
        #expect(first.hasSuffix("It starts when working hours begin, at Mon 2 Mar 09:00."))
        let second = try scenario.explanation(of: "NA-1", part: 2)
        let expected =
            "Position 1 of 1 in Workboard order (priority 1, ticket created Sun 1 Mar 07:00). "
            + "Block 2 of 2: longer work is split at the maximum block length. "
            + "Pushed by the block of NA-1 (position 1), which ends at Mon 2 Mar 10:00."
        #expect(second == expected)
    }

    // MARK: - Checking free time against its definition

    /// A half-open stretch in UTC milliseconds.
    struct Stretch {
        var start: Int64
        var end: Int64

        init(_ start: Instant, _ end: Instant) {
            self.start = start.millisecondsSinceEpoch
            self.end = end.millisecondsSinceEpoch
        }
    }

    /// The union of `stretches`, sorted and disjoint, without empty ones.
    static func union(_ stretches: [Stretch]) -> [Stretch] {
        var result: [Stretch] = []
        for stretch in stretches.sorted(by: { $0.start < $1.start }) where stretch.end > stretch.start {
            if let last = result.last, stretch.start <= last.end {
                result[result.count - 1].end = max(last.end, stretch.end)
            } else {
                result.append(stretch)
            }
        }
        return result
    }

    static func length(_ stretches: [Stretch]) -> Int64 {
        stretches.reduce(0) { $0 + ($1.end - $1.start) }
    }

    /// The length of the intersection of two lists, each disjoint.
    static func overlap(_ lhs: [Stretch], _ rhs: [Stretch]) -> Int64 {
        var total: Int64 = 0
        for left in lhs {
            for right in rhs { total += max(0, min(left.end, right.end) - max(left.start, right.start)) }
        }
        return total
    }

    /// `free` is exactly the working time of `[max(from, now), to)` that no block and no blocking busy
    /// item occupies: sorted, non-empty stretches inside working time, clear of everything occupied,
    /// and free plus occupied working time add up to all of it.
    static func expectFreeTimeIsExact(
        _ free: [CalendarInsight.Interval], in scenario: Scenario, from: String, to: String
    ) {
        let lower = max(Fixture.instant(from), scenario.now)
        let upper = Fixture.instant(to)
        let working = scenario.workingTime(from: from, to: to).compactMap { shift -> Stretch? in
            let clipped = Stretch(max(shift.start, lower), min(shift.end, upper))
            return clipped.start < clipped.end ? clipped : nil
        }
        let blocking = scenario.technician.busy.filter {
            $0.blocks(blockOnFreeExternalAppointments: scenario.settings.blockOnFreeExternalAppointments)
        }
        let occupied = union(
            blocking.map { Stretch($0.start, $0.end) } + scenario.plan.calendar.map { Stretch($0.start, $0.end) })
        let freeStretches = free.map { Stretch($0.start, $0.end) }

        for (earlier, later) in zip(free, free.dropFirst()) {
            #expect(earlier.end <= later.start, "free time out of order or overlapping")
        }
        for interval in free {
            #expect(interval.start < interval.end, "empty free interval \(interval.text)")
            #expect(interval.start >= lower, "free before now: \(interval.text)")
            #expect(interval.end <= upper, "free after the window: \(interval.text)")
        }
        for stretch in freeStretches {
            #expect(
                working.contains { $0.start <= stretch.start && stretch.end <= $0.end },
                "free time outside working hours")
            #expect(overlap([stretch], occupied) == 0, "free time that is occupied")
        }
        #expect(
            length(freeStretches) + overlap(occupied, working) == length(working),
            "free and occupied time do not add up to the working time")
    }
}

extension CalendarInsight.Interval {
    /// `start–end` in RFC 3339 UTC, easy to compare in `#expect`.
    var text: String { "\(start)–\(end)" }

    var minutes: Int64 { (end.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 60_000 }
}
