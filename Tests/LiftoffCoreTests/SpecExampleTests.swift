import LiftoffCore
import Testing

/// Acceptance tests written from docs/scheduling.md and docs/plan-format.md only.
/// Every expected value below is computed by hand from the specification text.
struct SpecExampleTests {

    // MARK: - Problem builders (plan-format.md)

    /// Mon–Fri 08:00–17:00 local, no weekend shifts.
    static let weekdays =
        #"{"mon": [["08:00", "17:00"]], "tue": [["08:00", "17:00"]], "wed": [["08:00", "17:00"]], "thu": [["08:00", "17:00"]], "fri": [["08:00", "17:00"]], "sat": [], "sun": []}"#

    static func q(_ s: String?) -> String {
        guard let s else { return "null" }
        return "\"" + s + "\""
    }

    /// One Next Activity as JSON.
    static func na(
        _ id: String, priority: Int = 1, created: String = "2026-03-01T10:00:00Z", minutes: Int,
        sleepUntil: String? = nil, startedAt: String? = nil, due: String? = nil
    ) -> String {
        #"{"id": \#(q(id)), "ticketId": "T-\#(id)", "priority": \#(priority), "ticketCreated": \#(q(created)), "durationMinutes": \#(minutes), "sleepUntil": \#(q(sleepUntil)), "startedAt": \#(q(startedAt)), "dueDateTime": \#(q(due))}"#
    }

    /// One busy item as JSON.
    static func busy(
        _ id: String, _ kind: String, _ start: String, _ end: String,
        showAs: String? = nil, status: String? = nil
    ) -> String {
        var s = #"{"id": \#(q(id)), "kind": \#(q(kind)), "start": \#(q(start)), "end": \#(q(end))"#
        if let showAs { s += #", "showAs": \#(q(showAs))"# }
        if let status { s += #", "status": \#(q(status))"# }
        return s + "}"
    }

    /// One technician as JSON.
    static func tech(
        id: String = "T1", timeZone: String = "UTC", weekly: String = weekdays, exceptions: String = "[]",
        busy: [String] = [], activities: [String], settings: String? = nil
    ) -> String {
        var s =
            #"{"id": \#(q(id)), "name": "Tech \#(id)", "timeZone": \#(q(timeZone)), "workSchedule": {"weekly": \#(weekly), "exceptions": \#(exceptions)}, "busy": [\#(busy.joined(separator: ", "))], "nextActivities": [\#(activities.joined(separator: ", "))]"#
        if let settings { s += #", "settings": \#(settings)"# }
        return s + "}"
    }

    /// A whole problem document.
    static func document(now: String, settings: String? = nil, technicians: [String]) -> String {
        var s = #"{"now": \#(q(now))"#
        if let settings { s += #", "settings": \#(settings)"# }
        s += #", "technicians": [\#(technicians.joined(separator: ", "))]}"#
        return s
    }

    /// The example problem of plan-format.md, verbatim.
    static let planFormatExample = #"""
        {
          "now": "2026-03-06T14:00:00Z",
          "settings": {
            "alignmentMinutes": 5,
            "minMinutesFreeBetweenActivities": 60,
            "maxBlockMinutes": 240,
            "horizonDays": 14,
            "blockOnFreeExternalAppointments": true,
            "bookingProfile": {"meetingMinutes": 30, "bufferBeforeMinutes": 0,
                                "bufferAfterMinutes": 15, "startIncrementMinutes": 30}
          },
          "technicians": [
            {
              "id": "29682885",
              "name": "Ava Reyes",
              "timeZone": "America/New_York",
              "workSchedule": {
                "weekly": {"mon": [["08:00", "12:00"], ["13:00", "17:00"]],
                           "tue": [["08:00", "17:00"]], "wed": [], "thu": [["08:00", "17:00"]],
                           "fri": [["08:00", "17:00"]], "sat": [], "sun": []},
                "exceptions": [{"date": "2026-03-10", "shifts": []},
                               {"date": "2026-03-14", "shifts": [["10:00", "14:00"]]}]
              },
              "busy": [
                {"id": "A-17", "kind": "external", "start": "2026-03-06T15:00:00Z",
                 "end": "2026-03-06T15:30:00Z", "showAs": "busy", "title": "Calendly: Acme onboarding"},
                {"id": "SC-88", "kind": "imported", "start": "2026-03-09T14:00:00Z", "end": "2026-03-09T15:00:00Z"},
                {"id": "FA-3", "kind": "fixed", "status": "open", "start": "2026-03-09T18:00:00Z", "end": "2026-03-09T19:00:00Z"},
                {"id": "PTO-1", "kind": "timeOff", "start": "2026-03-12T13:00:00Z", "end": "2026-03-12T22:00:00Z"}
              ],
              "nextActivities": [
                {"id": "NA-1", "ticketId": "T20260301.0004", "priority": 1,
                 "ticketCreated": "2026-03-01T10:12:00Z", "durationMinutes": 120,
                 "sleepUntil": null, "startedAt": null, "dueDateTime": "2026-03-07T17:00:00Z"}
              ]
            }
          ]
        }
        """#

    // MARK: - Running and rendering

    /// What one technician's answer looks like, rendered as strings.
    struct Outcome {
        /// "position id" in Workboard order.
        var order: [String] = []
        /// "id start–finish" with "null" for unknown estimates, in Workboard order.
        var estimates: [String] = []
        /// "id atRisk" in Workboard order.
        var atRisk: [String] = []
        /// "id due" in Workboard order.
        var due: [String] = []
        /// "id start–end" in calendar order.
        var calendar: [String] = []
        /// "id part/parts start–end" in calendar order.
        var parts: [String] = []
        /// unscheduled ids.
        var unscheduled: [String] = []
        /// unscheduled reasons.
        var reasons: [String] = []

        var orderIds: [String] { order.map { String($0.split(separator: " ", maxSplits: 1)[1]) } }
    }

    static func fmt<T>(_ value: T?) -> String {
        guard let value else { return "null" }
        return String(describing: value)
    }

    static func run(_ json: String) throws -> [Outcome] {
        let problem = try PlanDocumentReader.problem(from: Array(json.utf8))
        let answer = Planner.plan(problem)
        return answer.technicians.map { t in
            var o = Outcome()
            o.order = t.workboard.map { "\($0.position) \($0.activityId)" }
            o.estimates = t.workboard.map { "\($0.activityId) \(fmt($0.estimatedStart))–\(fmt($0.estimatedFinish))" }
            o.atRisk = t.workboard.map { "\($0.activityId) \($0.atRisk)" }
            o.due = t.workboard.map { "\($0.activityId) \(fmt($0.dueDateTime))" }
            o.calendar = t.calendar.map { "\($0.activityId) \($0.start)–\($0.end)" }
            o.parts = t.calendar.map { "\($0.activityId) \($0.part)/\($0.parts) \($0.start)–\($0.end)" }
            o.unscheduled = t.unscheduled.map { "\($0.activityId)" }
            o.reasons = t.unscheduled.map { String(describing: $0.reason) }
            return o
        }
    }

    /// Plans a problem with exactly one technician and returns its outcome.
    static func runOne(_ json: String) throws -> Outcome {
        let all = try run(json)
        try #require(all.count == 1)
        return all[0]
    }

    static func runOne(
        now: String, settings: String? = nil, timeZone: String = "UTC", weekly: String = weekdays,
        exceptions: String = "[]", busy: [String] = [], activities: [String], techSettings: String? = nil
    ) throws -> Outcome {
        try runOne(
            document(
                now: now, settings: settings,
                technicians: [
                    tech(
                        timeZone: timeZone, weekly: weekly, exceptions: exceptions, busy: busy,
                        activities: activities, settings: techSettings)
                ]))
    }

    // MARK: - The plan-format.md example

    @Test("plan-format.md example: NA-1 works 14:00–16:30 around A-17 and is booked 15:30–17:30")
    func planFormatExampleAnswer() throws {
        let o = try Self.runOne(Self.planFormatExample)
        #expect(o.order == ["1 NA-1"])
        #expect(o.estimates == ["NA-1 2026-03-06T14:00:00Z–2026-03-06T16:30:00Z"])
        #expect(o.due == ["NA-1 2026-03-07T17:00:00Z"])
        #expect(o.atRisk == ["NA-1 false"])
        #expect(o.parts == ["NA-1 1/1 2026-03-06T15:30:00Z–2026-03-06T17:30:00Z"])
        #expect(o.unscheduled == [])
    }

    // MARK: - Workboard order

    @Test("Workboard: priority rank, then oldest ticketCreated, then id compared as UTF-8 bytes")
    func workboardOrderPriorityAgeId() throws {
        let day1 = "2026-03-01T00:00:00Z"
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            activities: [
                Self.na("old", priority: 3, created: "2026-02-01T00:00:00Z", minutes: 30),
                Self.na("a", priority: 2, created: "2026-03-02T00:00:00Z", minutes: 30),
                Self.na("b", priority: 2, created: day1, minutes: 30),
                Self.na("😀", priority: 2, created: day1, minutes: 30),
                Self.na("Z", priority: 2, created: day1, minutes: 30),
                Self.na("Ａ", priority: 2, created: day1, minutes: 30),
                Self.na("NA-9", priority: 2, created: day1, minutes: 30),
                Self.na("é", priority: 2, created: day1, minutes: 30),
                Self.na("NA-10", priority: 2, created: day1, minutes: 30),
                Self.na("c", priority: 1, created: "2026-03-05T00:00:00Z", minutes: 30),
            ])
        // UTF-8: "NA-10" < "NA-9" ('1' < '9'), 'N' < 'Z' < 'b' < C3 A9 (é) < EF BC A1 (Ａ) < F0 9F 98 80 (😀)
        #expect(o.order == ["1 c", "2 NA-10", "3 NA-9", "4 Z", "5 b", "6 é", "7 Ａ", "8 😀", "9 a", "10 old"])
    }

    @Test("Workboard: ticket age compares instants, not the text of the timestamps")
    func workboardTicketAgeComparesInstants() throws {
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            activities: [
                Self.na("x", priority: 1, created: "2026-03-01T06:00:00-05:00", minutes: 30),  // 11:00Z
                Self.na("y", priority: 1, created: "2026-03-01T10:00:00Z", minutes: 30),  // 10:00Z
                Self.na("w", priority: 1, created: "2026-03-01T12:30:00+02:00", minutes: 30),  // 10:30Z
            ])
        #expect(o.order == ["1 y", "2 w", "3 x"])
    }

    @Test("Workboard: started activities first, by startedAt then id, regardless of priority and age")
    func workboardStartedFirst() throws {
        let o = try Self.runOne(
            now: "2026-03-06T10:00:00Z",
            activities: [
                Self.na("p1", priority: 1, created: "2026-01-01T00:00:00Z", minutes: 30),
                Self.na(
                    "s-late", priority: 1, created: "2026-02-01T00:00:00Z", minutes: 30,
                    startedAt: "2026-03-06T09:00:00Z"),
                Self.na(
                    "s-b", priority: 1, created: "2026-02-01T00:00:00Z", minutes: 30, startedAt: "2026-03-06T08:00:00Z"),
                Self.na(
                    "s-a", priority: 9, created: "2026-03-05T00:00:00Z", minutes: 30, startedAt: "2026-03-06T08:00:00Z"),
                Self.na(
                    "s-early", priority: 5, created: "2026-03-05T00:00:00Z", minutes: 30,
                    startedAt: "2026-03-06T07:00:00Z"),
            ])
        #expect(o.order == ["1 s-early", "2 s-a", "3 s-b", "4 s-late", "5 p1"])
    }

    @Test("Workboard: the order does not depend on gaps, alignment, block size or meetings")
    func workboardOrderIndependentOfCalendarSettings() throws {
        let activities = [
            Self.na("A", priority: 2, created: "2026-03-01T00:00:00Z", minutes: 120),
            Self.na("B", priority: 1, created: "2026-03-03T00:00:00Z", minutes: 60),
            Self.na("C", priority: 1, created: "2026-03-02T00:00:00Z", minutes: 60, sleepUntil: "2026-03-06T15:00:00Z"),
            Self.na("D", priority: 3, created: "2026-02-01T00:00:00Z", minutes: 30),
        ]
        let packed = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            settings: #"{"minMinutesFreeBetweenActivities": 0}"#,
            activities: activities)
        let spaced = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            settings: #"{"minMinutesFreeBetweenActivities": 60, "alignmentMinutes": 60, "maxBlockMinutes": 30}"#,
            busy: [Self.busy("M", "external", "2026-03-06T09:00:00Z", "2026-03-06T10:00:00Z", showAs: "busy")],
            activities: activities)
        #expect(packed.order == ["1 C", "2 B", "3 A", "4 D"])
        #expect(spaced.order == packed.order)
    }

    // MARK: - Work plan

    @Test("Work plan: work flows continuously from now and pauses for a meeting; no alignment, no gaps")
    func workPlanPausesForMeeting() throws {
        // UTC Fri 08–17. now 09:07. Meeting 10:00–10:30.
        // A: 09:07–10:00 (53 min), 10:30–11:37 (67 min) → 09:07–11:37. B: 11:37–12:37.
        let o = try Self.runOne(
            now: "2026-03-06T09:07:00Z",
            settings: #"{"alignmentMinutes": 60, "minMinutesFreeBetweenActivities": 60}"#,
            busy: [Self.busy("M", "external", "2026-03-06T10:00:00Z", "2026-03-06T10:30:00Z", showAs: "busy")],
            activities: [Self.na("A", priority: 1, minutes: 120), Self.na("B", priority: 2, minutes: 60)])
        #expect(
            o.estimates == [
                "A 2026-03-06T09:07:00Z–2026-03-06T11:37:00Z",
                "B 2026-03-06T11:37:00Z–2026-03-06T12:37:00Z",
            ])
    }

    @Test("Work plan: a sleeping higher NA is overtaken, then takes over when it wakes")
    func workPlanSleeperTakesOver() throws {
        // now 09:00. H (rank 1) sleeps until 10:00, L (rank 2) works 09:00–10:00,
        // H takes over 10:00–12:00, L resumes 12:00–13:00.
        let o = try Self.runOne(
            now: "2026-03-06T09:00:00Z",
            activities: [
                Self.na("H", priority: 1, minutes: 120, sleepUntil: "2026-03-06T10:00:00Z"),
                Self.na("L", priority: 2, minutes: 120),
            ])
        #expect(o.order == ["1 H", "2 L"])
        #expect(
            o.estimates == [
                "H 2026-03-06T10:00:00Z–2026-03-06T12:00:00Z",
                "L 2026-03-06T09:00:00Z–2026-03-06T13:00:00Z",
            ])
    }

    @Test("Work plan: estimates are null when the NA does not finish within the horizon")
    func workPlanNullBeyondHorizon() throws {
        // horizon 1 day: Fri 08:00Z → Sat 08:00Z; only Fri 08–17 is work time.
        // A: 08:00–13:00. B: 13:00–17:00 is only 240 of 300 min → null/null.
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z", settings: #"{"horizonDays": 1}"#,
            activities: [Self.na("A", priority: 1, minutes: 300), Self.na("B", priority: 2, minutes: 300)])
        #expect(
            o.estimates == [
                "A 2026-03-06T08:00:00Z–2026-03-06T13:00:00Z",
                "B null–null",
            ])
        // Calendar: A = 240 + 60 (08–12, 12–13); B's first block 13–17 fits, its second block fits nowhere.
        #expect(
            o.parts == [
                "A 1/2 2026-03-06T08:00:00Z–2026-03-06T12:00:00Z",
                "A 2/2 2026-03-06T12:00:00Z–2026-03-06T13:00:00Z",
            ])
        #expect(o.unscheduled == ["B"])
    }

    @Test("Work plan: atRisk when finish is after dueDateTime or unknown; false otherwise")
    func workPlanAtRisk() throws {
        // horizon 1 day, Fri 08–17 UTC, now 08:00.
        // A 08–09 (due 09:00: equal, not later), B 09–10 (due 09:30), C 10–11 (no due),
        // D 11–12 (due tomorrow), E 600 min never finishes (due far away), F never reached (no due).
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z", settings: #"{"horizonDays": 1}"#,
            activities: [
                Self.na("A", priority: 1, minutes: 60, due: "2026-03-06T09:00:00Z"),
                Self.na("B", priority: 2, minutes: 60, due: "2026-03-06T09:30:00Z"),
                Self.na("C", priority: 3, minutes: 60),
                Self.na("D", priority: 4, minutes: 60, due: "2026-03-07T00:00:00Z"),
                Self.na("E", priority: 5, minutes: 600, due: "2026-03-20T00:00:00Z"),
                Self.na("F", priority: 6, minutes: 60),
            ])
        #expect(
            o.estimates == [
                "A 2026-03-06T08:00:00Z–2026-03-06T09:00:00Z",
                "B 2026-03-06T09:00:00Z–2026-03-06T10:00:00Z",
                "C 2026-03-06T10:00:00Z–2026-03-06T11:00:00Z",
                "D 2026-03-06T11:00:00Z–2026-03-06T12:00:00Z",
                "E null–null",
                "F null–null",
            ])
        #expect(o.atRisk == ["A false", "B true", "C false", "D false", "E true", "F false"])
        #expect(
            o.due == [
                "A 2026-03-06T09:00:00Z", "B 2026-03-06T09:30:00Z", "C null",
                "D 2026-03-07T00:00:00Z", "E 2026-03-20T00:00:00Z", "F null",
            ])
    }

    // MARK: - Calendar plan

    @Test("Calendar: a whole block goes to the earliest start not overlapping a meeting")
    func calendarMeetingPushesBlock() throws {
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            busy: [Self.busy("M", "external", "2026-03-06T09:00:00Z", "2026-03-06T10:00:00Z", showAs: "busy")],
            activities: [Self.na("NA-1", minutes: 120)])
        #expect(o.parts == ["NA-1 1/1 2026-03-06T10:00:00Z–2026-03-06T12:00:00Z"])
        // the work plan, by contrast, uses the hour before the meeting
        #expect(o.estimates == ["NA-1 2026-03-06T08:00:00Z–2026-03-06T11:00:00Z"])
    }

    @Test("Calendar: split at maxBlockMinutes — 300 → 240 + 60, 480 → 240 + 240")
    func calendarSplitsAtMaxBlock() throws {
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z", settings: #"{"maxBlockMinutes": 240}"#,
            activities: [Self.na("NA-1", priority: 1, minutes: 300), Self.na("NA-2", priority: 2, minutes: 480)])
        #expect(
            o.parts == [
                "NA-1 1/2 2026-03-06T08:00:00Z–2026-03-06T12:00:00Z",
                "NA-1 2/2 2026-03-06T12:00:00Z–2026-03-06T13:00:00Z",
                "NA-2 1/2 2026-03-06T13:00:00Z–2026-03-06T17:00:00Z",
                "NA-2 2/2 2026-03-09T08:00:00Z–2026-03-09T12:00:00Z",
            ])
    }

    @Test("Calendar: maxBlockMinutes defaults to 240")
    func calendarDefaultMaxBlock() throws {
        let o = try Self.runOne(now: "2026-03-06T08:00:00Z", activities: [Self.na("NA-1", minutes: 300)])
        #expect(
            o.parts == [
                "NA-1 1/2 2026-03-06T08:00:00Z–2026-03-06T12:00:00Z",
                "NA-1 2/2 2026-03-06T12:00:00Z–2026-03-06T13:00:00Z",
            ])
    }

    @Test("Calendar: alignment 15 with now 14:07Z puts the first start at 14:15Z")
    func calendarAlignment15() throws {
        // NA-1 14:15–15:15; NA-2 (20) 15:15–15:35; NA-3 (30) not at 15:35 (minute 935 % 15 ≠ 0) → 15:45–16:15.
        let o = try Self.runOne(
            now: "2026-03-06T14:07:00Z", settings: #"{"alignmentMinutes": 15}"#,
            activities: [
                Self.na("NA-1", priority: 1, minutes: 60),
                Self.na("NA-2", priority: 2, minutes: 20),
                Self.na("NA-3", priority: 3, minutes: 30),
            ])
        #expect(
            o.calendar == [
                "NA-1 2026-03-06T14:15:00Z–2026-03-06T15:15:00Z",
                "NA-2 2026-03-06T15:15:00Z–2026-03-06T15:35:00Z",
                "NA-3 2026-03-06T15:45:00Z–2026-03-06T16:15:00Z",
            ])
        #expect(o.estimates.first == "NA-1 2026-03-06T14:07:00Z–2026-03-06T15:07:00Z")
    }

    @Test("Calendar: alignment 60 in Asia/Kathmandu (+05:45) starts on local whole hours, i.e. UTC :15")
    func calendarAlignment60Kathmandu() throws {
        // Fri shift 08:00–17:00 +05:45 = 02:15Z–11:15Z. now 03:00Z = 08:45 local → 09:00 local = 03:15Z.
        let o = try Self.runOne(
            now: "2026-03-06T03:00:00Z", settings: #"{"alignmentMinutes": 60}"#, timeZone: "Asia/Kathmandu",
            activities: [Self.na("NA-1", priority: 1, minutes: 60), Self.na("NA-2", priority: 2, minutes: 60)])
        #expect(
            o.calendar == [
                "NA-1 2026-03-06T03:15:00Z–2026-03-06T04:15:00Z",
                "NA-2 2026-03-06T04:15:00Z–2026-03-06T05:15:00Z",
            ])
    }

    @Test("Calendar: minMinutesFreeBetweenActivities 60 between blocks of a shift, none at the shift's edges")
    func calendarMinFreeBetween() throws {
        // A 08–10 (shift start), B 11–13, C 14–17 (ends at shift end), D 30 min does not fit Friday → Mon 08:00.
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z", settings: #"{"minMinutesFreeBetweenActivities": 60}"#,
            activities: [
                Self.na("A", priority: 1, minutes: 120),
                Self.na("B", priority: 2, minutes: 120),
                Self.na("C", priority: 3, minutes: 180),
                Self.na("D", priority: 4, minutes: 30),
            ])
        #expect(
            o.calendar == [
                "A 2026-03-06T08:00:00Z–2026-03-06T10:00:00Z",
                "B 2026-03-06T11:00:00Z–2026-03-06T13:00:00Z",
                "C 2026-03-06T14:00:00Z–2026-03-06T17:00:00Z",
                "D 2026-03-09T08:00:00Z–2026-03-09T08:30:00Z",
            ])
    }

    @Test("Calendar: the gap rule counts contiguous work time and holds towards the next block too")
    func calendarGapRuleBothSides() throws {
        // Meeting 09:00–09:30. A (180) cannot start before 09:30 → 09:30–12:30.
        // B (30) in the hole at 08:00–08:30: work time before A is 08:30–09:00 (30 contiguous minutes).
        let busy = [Self.busy("M", "external", "2026-03-06T09:00:00Z", "2026-03-06T09:30:00Z", showAs: "busy")]
        let acts = [Self.na("A", priority: 1, minutes: 180), Self.na("B", priority: 2, minutes: 30)]
        let gap30 = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            settings: #"{"minMinutesFreeBetweenActivities": 30}"#,
            busy: busy, activities: acts)
        #expect(
            gap30.calendar == [
                "B 2026-03-06T08:00:00Z–2026-03-06T08:30:00Z",
                "A 2026-03-06T09:30:00Z–2026-03-06T12:30:00Z",
            ])
        // With 45 the hole cannot leave 45 contiguous minutes before A → B goes 45 min after A: 13:15.
        let gap45 = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            settings: #"{"minMinutesFreeBetweenActivities": 45}"#,
            busy: busy, activities: acts)
        #expect(
            gap45.calendar == [
                "A 2026-03-06T09:30:00Z–2026-03-06T12:30:00Z",
                "B 2026-03-06T13:15:00Z–2026-03-06T13:45:00Z",
            ])
    }

    @Test("Calendar: a lower NA fills the hole before a meeting that a longer higher NA could not use")
    func calendarLowerFillsHole() throws {
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            busy: [Self.busy("M", "external", "2026-03-06T09:00:00Z", "2026-03-06T10:00:00Z", showAs: "busy")],
            activities: [Self.na("HIGH", priority: 1, minutes: 120), Self.na("LOW", priority: 2, minutes: 60)])
        #expect(
            o.calendar == [
                "LOW 2026-03-06T08:00:00Z–2026-03-06T09:00:00Z",
                "HIGH 2026-03-06T10:00:00Z–2026-03-06T12:00:00Z",
            ])
    }

    @Test("Calendar: a block starts at or after sleepUntil (aligned), lower work takes the earlier time")
    func calendarSleepUntil() throws {
        // S sleeps until 10:03 → next 5-minute start 10:05.
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            activities: [
                Self.na("S", priority: 1, minutes: 60, sleepUntil: "2026-03-06T10:03:00Z"),
                Self.na("W", priority: 2, minutes: 60),
            ])
        #expect(
            o.calendar == [
                "W 2026-03-06T08:00:00Z–2026-03-06T09:00:00Z",
                "S 2026-03-06T10:05:00Z–2026-03-06T11:05:00Z",
            ])
    }

    @Test("Started NA stays at [startedAt, max(now, startedAt+duration)), is placed first, may lie outside shifts")
    func startedActivityStays() throws {
        // now 09:00. S (rank 9) started 07:30 (before the 08:00 shift start), 120 min → block 07:30–09:30.
        // Work plan: remaining 30 min flows 09:00–09:30. P then 09:30–10:30 in both plans.
        let running = try Self.runOne(
            now: "2026-03-06T09:00:00Z",
            activities: [
                Self.na("P", priority: 1, minutes: 60),
                Self.na("S", priority: 9, minutes: 120, startedAt: "2026-03-06T07:30:00Z"),
            ])
        #expect(running.order == ["1 S", "2 P"])
        #expect(
            running.parts == [
                "S 1/1 2026-03-06T07:30:00Z–2026-03-06T09:30:00Z",
                "P 1/1 2026-03-06T09:30:00Z–2026-03-06T10:30:00Z",
            ])
        #expect(
            running.estimates == [
                "S 2026-03-06T07:30:00Z–2026-03-06T09:30:00Z",
                "P 2026-03-06T09:30:00Z–2026-03-06T10:30:00Z",
            ])
        // S started 06:00 with 30 min: overran, block 06:00–09:00 (now); nothing remains → finish = now.
        let overran = try Self.runOne(
            now: "2026-03-06T09:00:00Z",
            activities: [
                Self.na("P", priority: 1, minutes: 60),
                Self.na("S", priority: 9, minutes: 30, startedAt: "2026-03-06T06:00:00Z"),
            ])
        #expect(
            overran.parts == [
                "S 1/1 2026-03-06T06:00:00Z–2026-03-06T09:00:00Z",
                "P 1/1 2026-03-06T09:00:00Z–2026-03-06T10:00:00Z",
            ])
        #expect(
            overran.estimates == [
                "S 2026-03-06T06:00:00Z–2026-03-06T09:00:00Z",
                "P 2026-03-06T09:00:00Z–2026-03-06T10:00:00Z",
            ])
    }

    @Test("Calendar: blocks end within now + horizonDays × 24 h")
    func calendarHorizonDays() throws {
        // A 480 → Fri 08–12, 12–16. B 120: Fri 16–17 too short; Mon 08–10.
        let acts = [Self.na("A", priority: 1, minutes: 480), Self.na("B", priority: 2, minutes: 120)]
        // horizon 3 days ends Mon 08:00Z: B does not fit.
        let short = try Self.runOne(now: "2026-03-06T08:00:00Z", settings: #"{"horizonDays": 3}"#, activities: acts)
        #expect(
            short.calendar == [
                "A 2026-03-06T08:00:00Z–2026-03-06T12:00:00Z",
                "A 2026-03-06T12:00:00Z–2026-03-06T16:00:00Z",
            ])
        #expect(short.unscheduled == ["B"])
        // horizon 4 days ends Tue 08:00Z: B on Monday morning.
        let long = try Self.runOne(now: "2026-03-06T08:00:00Z", settings: #"{"horizonDays": 4}"#, activities: acts)
        #expect(
            long.calendar == [
                "A 2026-03-06T08:00:00Z–2026-03-06T12:00:00Z",
                "A 2026-03-06T12:00:00Z–2026-03-06T16:00:00Z",
                "B 2026-03-09T08:00:00Z–2026-03-09T10:00:00Z",
            ])
        #expect(long.unscheduled == [])
    }

    @Test("Calendar: an NA with a block that fits nowhere is unscheduled and none of its blocks is kept")
    func calendarUnscheduledDropsAllBlocks() throws {
        // Only Fri 08:00–12:00, horizon 1 day. X (300) = 240 + 60: the 240 block fits, the 60 block does not.
        // X is unscheduled with no block kept, so Y takes 08:00.
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z", settings: #"{"horizonDays": 1}"#,
            weekly: #"{"fri": [["08:00", "12:00"]]}"#,
            activities: [Self.na("X", priority: 1, minutes: 300), Self.na("Y", priority: 2, minutes: 60)])
        #expect(o.unscheduled == ["X"])
        #expect(o.reasons.count == 1)
        #expect(o.reasons.allSatisfy { !$0.isEmpty })
        #expect(o.calendar == ["Y 2026-03-06T08:00:00Z–2026-03-06T09:00:00Z"])
        #expect(o.orderIds == ["X", "Y"])
    }

    @Test("External appointment shown as free blocks by default, not when blockOnFreeExternalAppointments is false")
    func externalFreeAppointment() throws {
        let busy = [
            Self.busy("FREE", "external", "2026-03-06T08:00:00Z", "2026-03-06T09:00:00Z", showAs: "free"),
            Self.busy("TENT", "external", "2026-03-06T09:00:00Z", "2026-03-06T10:00:00Z", showAs: "tentative"),
        ]
        let acts = [Self.na("N1", priority: 1, minutes: 60), Self.na("N2", priority: 2, minutes: 60)]
        let byDefault = try Self.runOne(now: "2026-03-06T08:00:00Z", busy: busy, activities: acts)
        #expect(
            byDefault.calendar == [
                "N1 2026-03-06T10:00:00Z–2026-03-06T11:00:00Z",
                "N2 2026-03-06T11:00:00Z–2026-03-06T12:00:00Z",
            ])
        #expect(byDefault.estimates.first == "N1 2026-03-06T10:00:00Z–2026-03-06T11:00:00Z")
        let off = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            settings: #"{"blockOnFreeExternalAppointments": false}"#,
            busy: busy, activities: acts)
        #expect(
            off.calendar == [
                "N1 2026-03-06T08:00:00Z–2026-03-06T09:00:00Z",
                "N2 2026-03-06T10:00:00Z–2026-03-06T11:00:00Z",
            ])
        #expect(off.estimates.first == "N1 2026-03-06T08:00:00Z–2026-03-06T09:00:00Z")
    }

    @Test("Fixed appointment blocks while open; closed and canceled do not block")
    func fixedAppointmentStatus() throws {
        func placed(_ status: String) throws -> [String] {
            try Self.runOne(
                now: "2026-03-06T08:00:00Z",
                busy: [Self.busy("FA", "fixed", "2026-03-06T08:00:00Z", "2026-03-06T09:00:00Z", status: status)],
                activities: [Self.na("N", minutes: 60)]
            ).calendar
        }
        #expect(try placed("canceled") == ["N 2026-03-06T08:00:00Z–2026-03-06T09:00:00Z"])
        #expect(try placed("closed") == ["N 2026-03-06T08:00:00Z–2026-03-06T09:00:00Z"])
        #expect(try placed("open") == ["N 2026-03-06T09:00:00Z–2026-03-06T10:00:00Z"])
    }

    @Test("Time off and imported service calls block")
    func timeOffAndImportedBlock() throws {
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            busy: [
                Self.busy("PTO", "timeOff", "2026-03-06T08:00:00Z", "2026-03-06T17:00:00Z"),
                Self.busy("SC", "imported", "2026-03-09T08:00:00Z", "2026-03-09T09:00:00Z"),
            ],
            activities: [Self.na("N", minutes: 60)])
        #expect(o.calendar == ["N 2026-03-09T09:00:00Z–2026-03-09T10:00:00Z"])
        #expect(o.estimates == ["N 2026-03-09T09:00:00Z–2026-03-09T10:00:00Z"])
    }

    @Test("Exceptions replace a date's shifts: a holiday [] and a one-off Saturday shift")
    func scheduleExceptions() throws {
        // Fri is a holiday; Sat has 10:00–12:00 only. A (60) Sat 10–11. B (90) does not fit Sat 11–12 → Mon 08:00–09:30.
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            exceptions:
                #"[{"date": "2026-03-06", "shifts": []}, {"date": "2026-03-07", "shifts": [["10:00", "12:00"]]}]"#,
            activities: [Self.na("A", priority: 1, minutes: 60), Self.na("B", priority: 2, minutes: 90)])
        #expect(
            o.calendar == [
                "A 2026-03-07T10:00:00Z–2026-03-07T11:00:00Z",
                "B 2026-03-09T08:00:00Z–2026-03-09T09:30:00Z",
            ])
        // Work plan: B works Sat 11–12 and Mon 08:00–08:30.
        #expect(
            o.estimates == [
                "A 2026-03-07T10:00:00Z–2026-03-07T11:00:00Z",
                "B 2026-03-07T11:00:00Z–2026-03-09T08:30:00Z",
            ])
    }

    @Test("Per-technician settings override the site's, field by field, for that technician only")
    func technicianSettingsOverride() throws {
        // Site: alignment 60, max block 60. T1 overrides alignment to 15 only.
        let json = Self.document(
            now: "2026-03-06T14:07:00Z",
            settings: #"{"alignmentMinutes": 60, "maxBlockMinutes": 60}"#,
            technicians: [
                Self.tech(id: "T1", activities: [Self.na("N", minutes: 90)], settings: #"{"alignmentMinutes": 15}"#),
                Self.tech(id: "T2", activities: [Self.na("N", minutes: 90)]),
            ])
        let all = try Self.run(json)
        try #require(all.count == 2)
        #expect(
            all[0].parts == [
                "N 1/2 2026-03-06T14:15:00Z–2026-03-06T15:15:00Z",
                "N 2/2 2026-03-06T15:15:00Z–2026-03-06T15:45:00Z",
            ])
        #expect(
            all[1].parts == [
                "N 1/2 2026-03-06T15:00:00Z–2026-03-06T16:00:00Z",
                "N 2/2 2026-03-06T16:00:00Z–2026-03-06T16:30:00Z",
            ])
    }

    @Test("Booking profile: each gap must hold one slot of buffer + meeting + buffer on the increment grid")
    func bookingProfileGaps() throws {
        // Profile: meeting 30, before 10, after 15, increment 30 → a slot t needs [t-10, t+45).
        // A 08–09. B: t=09:30 ([09:20,10:15)) → B 10:15–11:15. C: t=11:30 ([11:20,12:15)) → C 12:15–13:15.
        // D: meeting 13:30–14:00 spoils t=13:30 and t=14:00; t=14:30 ([14:20,15:15)) → D 15:15–16:15.
        let o = try Self.runOne(
            now: "2026-03-06T08:00:00Z",
            settings:
                #"{"bookingProfile": {"meetingMinutes": 30, "bufferBeforeMinutes": 10, "bufferAfterMinutes": 15, "startIncrementMinutes": 30}}"#,
            busy: [Self.busy("M", "external", "2026-03-06T13:30:00Z", "2026-03-06T14:00:00Z", showAs: "busy")],
            activities: [
                Self.na("A", priority: 1, minutes: 60),
                Self.na("B", priority: 2, minutes: 60),
                Self.na("C", priority: 3, minutes: 60),
                Self.na("D", priority: 4, minutes: 60),
            ])
        #expect(
            o.calendar == [
                "A 2026-03-06T08:00:00Z–2026-03-06T09:00:00Z",
                "B 2026-03-06T10:15:00Z–2026-03-06T11:15:00Z",
                "C 2026-03-06T12:15:00Z–2026-03-06T13:15:00Z",
                "D 2026-03-06T15:15:00Z–2026-03-06T16:15:00Z",
            ])
    }

    // MARK: - Daylight saving time

    @Test("DST: New York 08:00–17:00 is 13:00Z–22:00Z on Fri 2026-03-06 and 12:00Z–21:00Z on Mon 2026-03-09")
    func dstNewYorkShifts() throws {
        // A (540) fills Friday 08–17 EST exactly; B and C fill Monday 08–17 EDT; D goes to Fri 2026-03-13 (EDT).
        let o = try Self.runOne(
            now: "2026-03-06T12:00:00Z", settings: #"{"maxBlockMinutes": 540}"#,
            timeZone: "America/New_York",
            weekly: #"{"mon": [["08:00", "17:00"]], "fri": [["08:00", "17:00"]]}"#,
            activities: [
                Self.na("A", priority: 1, minutes: 540),
                Self.na("B", priority: 2, minutes: 60),
                Self.na("C", priority: 3, minutes: 480),
                Self.na("D", priority: 4, minutes: 30),
            ])
        #expect(
            o.calendar == [
                "A 2026-03-06T13:00:00Z–2026-03-06T22:00:00Z",
                "B 2026-03-09T12:00:00Z–2026-03-09T13:00:00Z",
                "C 2026-03-09T13:00:00Z–2026-03-09T21:00:00Z",
                "D 2026-03-13T12:00:00Z–2026-03-13T12:30:00Z",
            ])
        #expect(
            o.estimates == [
                "A 2026-03-06T13:00:00Z–2026-03-06T22:00:00Z",
                "B 2026-03-09T12:00:00Z–2026-03-09T13:00:00Z",
                "C 2026-03-09T13:00:00Z–2026-03-09T21:00:00Z",
                "D 2026-03-13T12:00:00Z–2026-03-13T12:30:00Z",
            ])
    }

    @Test("DST: a nonexistent wall-clock time is the change instant; an ambiguous one is its first occurrence")
    func dstNonexistentAndAmbiguousTimes() throws {
        // Sun 2026-03-08 shift 02:30–05:00: 02:30 does not exist → 03:00 EDT = 07:00Z; 05:00 EDT = 09:00Z (120 min).
        let spring = try Self.runOne(
            now: "2026-03-08T05:00:00Z", timeZone: "America/New_York",
            exceptions: #"[{"date": "2026-03-08", "shifts": [["02:30", "05:00"]]}]"#,
            activities: [Self.na("A", priority: 1, minutes: 120), Self.na("B", priority: 2, minutes: 30)])
        #expect(
            spring.calendar == [
                "A 2026-03-08T07:00:00Z–2026-03-08T09:00:00Z",
                "B 2026-03-09T12:00:00Z–2026-03-09T12:30:00Z",
            ])
        #expect(
            spring.estimates == [
                "A 2026-03-08T07:00:00Z–2026-03-08T09:00:00Z",
                "B 2026-03-09T12:00:00Z–2026-03-09T12:30:00Z",
            ])
        // Sun 2026-11-01 shift 01:30–03:00: 01:30 is the first (EDT) one = 05:30Z; 03:00 EST = 08:00Z (150 min).
        let fall = try Self.runOne(
            now: "2026-11-01T04:00:00Z", timeZone: "America/New_York",
            exceptions: #"[{"date": "2026-11-01", "shifts": [["01:30", "03:00"]]}]"#,
            activities: [Self.na("A", priority: 1, minutes: 150), Self.na("B", priority: 2, minutes: 30)])
        #expect(
            fall.calendar == [
                "A 2026-11-01T05:30:00Z–2026-11-01T08:00:00Z",
                "B 2026-11-02T13:00:00Z–2026-11-02T13:30:00Z",
            ])
        #expect(
            fall.estimates == [
                "A 2026-11-01T05:30:00Z–2026-11-01T08:00:00Z",
                "B 2026-11-02T13:00:00Z–2026-11-02T13:30:00Z",
            ])
    }

    // MARK: - Validation

    struct ValidationCase: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var mustMention: [String]
        var testDescription: String { name }
    }

    static let validationCases: [ValidationCase] = {
        let now = "2026-03-06T14:00:00Z"
        let okNA = na("NA-ok", minutes: 60)
        return [
            ValidationCase(name: "empty input", json: "", mustMention: []),
            ValidationCase(name: "not JSON", json: "this is not json {", mustMention: []),
            ValidationCase(
                name: "now without a zone designator",
                json: document(now: "2026-03-06T14:00:00", technicians: [tech(id: "T-now", activities: [okNA])]),
                mustMention: ["now"]),
            ValidationCase(
                name: "duplicate technician id",
                json: document(
                    now: now,
                    technicians: [
                        tech(id: "T-dup", activities: [okNA]),
                        tech(id: "T-dup", activities: [okNA]),
                    ]),
                mustMention: ["T-dup", "id"]),
            ValidationCase(
                name: "unknown weekday key monday",
                json: document(
                    now: now,
                    technicians: [
                        tech(
                            id: "T-wk", weekly: #"{"monday": [["08:00", "17:00"]]}"#,
                            activities: [okNA])
                    ]),
                mustMention: ["T-wk", "monday"]),
            ValidationCase(
                name: "shift ending before it starts",
                json: document(
                    now: now,
                    technicians: [
                        tech(
                            id: "T-sh", weekly: #"{"mon": [["17:00", "08:00"]]}"#,
                            activities: [okNA])
                    ]),
                mustMention: ["T-sh", "workSchedule.weekly.mon"]),
            ValidationCase(
                name: "priority 0",
                json: document(
                    now: now, technicians: [tech(id: "T-p", activities: [na("NA-p0", priority: 0, minutes: 60)])]),
                mustMention: ["NA-p0", "priority"]),
            ValidationCase(
                name: "durationMinutes given as a string",
                json: document(
                    now: now,
                    technicians: [
                        tech(
                            id: "T-d",
                            activities: [
                                na("NA-str", minutes: 60).replacing(
                                    #""durationMinutes": 60"#,
                                    with: #""durationMinutes": "60""#)
                            ])
                    ]),
                mustMention: ["NA-str", "durationMinutes"]),
            ValidationCase(
                name: "technician alignmentMinutes 7",
                json: document(
                    now: now,
                    technicians: [
                        tech(
                            id: "T-al", activities: [okNA],
                            settings: #"{"alignmentMinutes": 7}"#)
                    ]),
                mustMention: ["T-al", "alignmentMinutes"]),
            ValidationCase(
                name: "site alignmentMinutes 7",
                json: document(
                    now: now, settings: #"{"alignmentMinutes": 7}"#,
                    technicians: [tech(id: "T-site", activities: [okNA])]),
                mustMention: ["alignmentMinutes"]),
            ValidationCase(
                name: "unknown busy kind",
                json: document(
                    now: now,
                    technicians: [
                        tech(
                            id: "T-bk", busy: [busy("B-1", "vacation", "2026-03-06T15:00:00Z", "2026-03-06T16:00:00Z")],
                            activities: [okNA])
                    ]),
                mustMention: ["T-bk", "kind"]),
            ValidationCase(
                name: "bookingProfile startIncrementMinutes 7",
                json: document(
                    now: now,
                    settings:
                        #"{"bookingProfile": {"meetingMinutes": 30, "bufferBeforeMinutes": 0, "bufferAfterMinutes": 0, "startIncrementMinutes": 7}}"#,
                    technicians: [tech(id: "T-bp", activities: [okNA])]),
                mustMention: ["startIncrementMinutes"]),
        ]
    }()

    @Test(
        "Validation: a broken problem throws PlanFormatError naming the field and its owner", arguments: validationCases
    )
    func validationRejects(_ c: ValidationCase) {
        do {
            _ = try PlanDocumentReader.problem(from: Array(c.json.utf8))
            Issue.record("expected PlanFormatError for \(c.name)")
        } catch {
            // PlanDocumentReader.problem(from:) throws PlanFormatError (typed throws)
            #expect(!error.problems.isEmpty)
            let text = error.description
            for word in c.mustMention {
                #expect(text.contains(word), "\(c.name): message should mention \(word): \(text)")
            }
        }
    }

    @Test("Validation: boundary values that the format allows are accepted")
    func validationAcceptsBoundaries() throws {
        let json = Self.document(
            now: "2026-03-06T09:00:00-05:00",
            settings:
                #"{"alignmentMinutes": 60, "minMinutesFreeBetweenActivities": 0, "maxBlockMinutes": 1, "horizonDays": 1, "blockOnFreeExternalAppointments": false, "bookingProfile": {"meetingMinutes": 1, "bufferBeforeMinutes": 0, "bufferAfterMinutes": 0, "startIncrementMinutes": 120}}"#,
            technicians: [
                Self.tech(
                    id: "T-ok",
                    weekly: #"{"fri": [["00:00", "08:00"], ["08:00", "24:00"]]}"#,
                    busy: [
                        Self.busy("E", "external", "2026-03-06T15:00:00Z", "2026-03-06T15:00:00Z", showAs: "oof"),
                        Self.busy("F", "fixed", "2026-03-06T16:00:00Z", "2026-03-06T17:00:00Z", status: "closed"),
                    ],
                    activities: [
                        Self.na("N", minutes: 1, sleepUntil: "2026-03-06T10:00:00+01:00", due: "2026-03-07T00:00:00Z")
                    ])
            ])
        let all = try Self.run(json)
        #expect(all.count == 1)
    }

    // MARK: - Determinism

    @Test("Determinism: the same problem planned twice gives byte-identical answers")
    func determinism() throws {
        let json = Self.planFormatExample.replacing(
            #""sleepUntil": null, "startedAt": null, "dueDateTime": "2026-03-07T17:00:00Z"}"#,
            with: #""sleepUntil": null, "startedAt": null, "dueDateTime": "2026-03-07T17:00:00Z"},"#
                + Self.na("NA-2", priority: 2, minutes: 300) + ", "
                + Self.na("NA-3", priority: 2, minutes: 45, due: "2026-03-06T18:00:00Z") + ", "
                + Self.na("NA-4", priority: 3, minutes: 90, sleepUntil: "2026-03-09T15:00:00Z"))
        let first = PlanDocumentWriter.bytes(for: Planner.plan(try PlanDocumentReader.problem(from: Array(json.utf8))))
        let second = PlanDocumentWriter.bytes(for: Planner.plan(try PlanDocumentReader.problem(from: Array(json.utf8))))
        #expect(!first.isEmpty)
        #expect(first == second)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("NA-4"))
        #expect(text.contains("2026-03-06T15:30:00Z"))
    }
}
