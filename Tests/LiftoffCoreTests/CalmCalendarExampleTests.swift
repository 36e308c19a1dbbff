import Foundation
import LiftoffCore
import Testing

/// *A calm calendar* (docs/scheduling.md), case by case: a block already on the calendar stays while
/// it is still good and moves only when it has to. Expected instants are worked out by hand from the spec.
@Suite struct CalmCalendarExampleTests {
    typealias F = Fixture
    /// A Monday; the fixture technician works 09:00–17:00 UTC every day.
    static let now = "2026-03-02T09:00:00Z"

    static func at(_ time: String) -> Instant { F.instant("2026-03-02T\(time):00Z") }

    static func current(_ id: String, _ start: String, _ end: String, part: Int = 1) -> CurrentBlock {
        CurrentBlock(activityId: id, part: part, start: at(start), end: at(end))
    }

    static func plan(
        _ activities: [NextActivity], current: [CurrentBlock], busy: [BusyItem] = [], now: String = now,
        settings: Settings = F.settings(), tolerance: Int = 60, overrides: SettingsOverrides = SettingsOverrides(),
        zone: String = "UTC", schedule: WorkSchedule = F.everyDay([F.shift("09:00", "17:00")])
    ) -> TechnicianPlan {
        var technician = F.technician(zone: zone, schedule: schedule, busy: busy, activities: activities)
        technician.current = current
        technician.settings = overrides
        var settings = settings
        settings.reflowToleranceMinutes = tolerance
        return F.plan(technician, now: now, settings: settings)
    }

    // MARK: - Tolerance

    @Test(arguments: [(60, "09:30", "10:30"), (30, "09:30", "10:30"), (29, "09:00", "10:00"), (0, "09:00", "10:00")])
    func aBlockHalfAnHourLateStaysOnlyWithinTheTolerance(tolerance: Int, start: String, end: String) {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60)], current: [Self.current("NA-1", "09:30", "10:30")], tolerance: tolerance)
        #expect(plan.blockSummary == ["NA-1 2026-03-02T\(start):00Z–2026-03-02T\(end):00Z"])
    }

    @Test func theSettingsDefaultToAToleranceOfAnHour() {
        #expect(Settings().reflowToleranceMinutes == 60)
        var technician = F.technician(activities: [F.activity("NA-1", minutes: 60)])
        technician.current = [Self.current("NA-1", "10:00", "11:00")]
        #expect(F.plan(technician, now: Self.now).blockSummary == ["NA-1 2026-03-02T10:00:00Z–2026-03-02T11:00:00Z"])
        technician.current = [Self.current("NA-1", "10:05", "11:05")]
        #expect(F.plan(technician, now: Self.now).blockSummary == ["NA-1 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z"])
    }

    @Test func allPartsOfAnActivityStayTogether() {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 300)],
            current: [
                Self.current("NA-1", "09:30", "13:30", part: 1), Self.current("NA-1", "13:45", "14:45", part: 2),
            ])
        #expect(
            plan.blockSummary == [
                "NA-1 2026-03-02T09:30:00Z–2026-03-02T13:30:00Z 1/2",
                "NA-1 2026-03-02T13:45:00Z–2026-03-02T14:45:00Z 2/2",
            ])
    }

    @Test(arguments: [
        (SettingsOverrides(reflowToleranceMinutes: 60), 0, "09:30"),
        (SettingsOverrides(reflowToleranceMinutes: 0), 60, "09:00"),
    ])
    func theTechniciansToleranceWinsOverTheSites(overrides: SettingsOverrides, site: Int, start: String) {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60)], current: [Self.current("NA-1", "09:30", "10:30")], tolerance: site,
            overrides: overrides)
        #expect(plan.calendar.map(\.start) == [F.instant("2026-03-02T\(start):00Z")])
    }

    // MARK: - Under way and ended

    @Test(arguments: [0, 60])
    func aBlockUnderWayStays(tolerance: Int) {
        // Not started in the PSA, but the technician may be on it: 09:00–10:00 at 09:20 stays.
        let plan = Self.plan(
            [F.activity("NA-1", priority: 1, minutes: 60), F.activity("NA-2", priority: 2, minutes: 30)],
            current: [Self.current("NA-1", "09:00", "10:00")], now: "2026-03-02T09:20:00Z", tolerance: tolerance)
        #expect(
            plan.blockSummary == [
                "NA-1 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z",
                "NA-2 2026-03-02T10:00:00Z–2026-03-02T10:30:00Z",
            ])
    }

    /// Rule 2: only something blocking ends a block under way. Higher work that arrives — an
    /// urgent new ticket — goes around it instead of taking the technician's present moment.
    @Test func higherWorkThatArrivesGoesAroundABlockUnderWay() {
        let plan = Self.plan(
            [F.activity("URGENT", priority: 1, minutes: 60), F.activity("NA-B", priority: 2, minutes: 60)],
            current: [Self.current("NA-B", "09:00", "10:00")], now: "2026-03-02T09:20:00Z")
        #expect(
            plan.blockSummary == [
                "NA-B 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z",
                "URGENT 2026-03-02T10:00:00Z–2026-03-02T11:00:00Z",
            ])
        #expect(plan.workboard.map(\.activityId) == ["URGENT", "NA-B"], "the Workboard order does not change")
    }

    @Test func aBlockUnderWayMovesWhenStartedWorkOverlapsIt() {
        let plan = Self.plan(
            [
                F.activity("NA-1", priority: 1, minutes: 60),
                F.activity("S", priority: 5, minutes: 30, startedAt: "2026-03-02T09:10:00Z"),
            ],
            current: [Self.current("NA-1", "09:00", "10:00")], now: "2026-03-02T09:20:00Z")
        #expect(
            plan.blockSummary == [
                "S 2026-03-02T09:10:00Z–2026-03-02T09:40:00Z",
                "NA-1 2026-03-02T09:40:00Z–2026-03-02T10:40:00Z",
            ])
    }

    @Test func aBlockUnderWayMovesWhenANewMeetingOverlapsIt() {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60)], current: [Self.current("NA-1", "09:00", "10:00")],
            busy: [F.busy(.external, "2026-03-02T09:45:00Z", "2026-03-02T10:15:00Z", showAs: .busy)],
            now: "2026-03-02T09:20:00Z")
        #expect(plan.blockSummary == ["NA-1 2026-03-02T10:15:00Z–2026-03-02T11:15:00Z"])
    }

    @Test(arguments: [("09:00", "10:00"), ("10:00", "11:00")])
    func anEndedBlockOfWorkNotStartedIsPlacedAgain(start: String, end: String) {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60)], current: [Self.current("NA-1", start, end)], now: "2026-03-02T11:00:00Z")
        #expect(plan.blockSummary == ["NA-1 2026-03-02T11:00:00Z–2026-03-02T12:00:00Z"])
    }

    // MARK: - Blocks that are no longer good

    @Test func aNewMeetingMovesTheBlockItHitsAndTheBlocksThatThenCollide() {
        // NA-1 moves past the meeting onto NA-2's time, so NA-2 moves too; NA-3, 30 minutes after its
        // earliest start, stays.
        let plan = Self.plan(
            [
                F.activity("NA-1", priority: 1, minutes: 60), F.activity("NA-2", priority: 2, minutes: 60),
                F.activity("NA-3", priority: 3, minutes: 60),
            ],
            current: [
                Self.current("NA-1", "09:00", "10:00"), Self.current("NA-2", "10:00", "11:00"),
                Self.current("NA-3", "12:30", "13:30"),
            ],
            busy: [F.busy(.external, "2026-03-02T09:30:00Z", "2026-03-02T10:00:00Z", showAs: .busy)])
        #expect(
            plan.blockSummary == [
                "NA-1 2026-03-02T10:00:00Z–2026-03-02T11:00:00Z",
                "NA-2 2026-03-02T11:00:00Z–2026-03-02T12:00:00Z",
                "NA-3 2026-03-02T12:30:00Z–2026-03-02T13:30:00Z",
            ])
    }

    @Test func aBlockThatBreaksANewGapRuleMoves() {
        // Packed before; now 60 free minutes are required between blocks. NA-3 at 13:00 keeps the hour
        // after NA-2's new place and is its earliest start, so it stays.
        let plan = Self.plan(
            [
                F.activity("NA-1", priority: 1, minutes: 60), F.activity("NA-2", priority: 2, minutes: 60),
                F.activity("NA-3", priority: 3, minutes: 60),
            ],
            current: [
                Self.current("NA-1", "09:00", "10:00"), Self.current("NA-2", "10:00", "11:00"),
                Self.current("NA-3", "13:00", "14:00"),
            ],
            settings: F.settings(minFree: 60))
        #expect(
            plan.blockSummary == [
                "NA-1 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z",
                "NA-2 2026-03-02T11:00:00Z–2026-03-02T12:00:00Z",
                "NA-3 2026-03-02T13:00:00Z–2026-03-02T14:00:00Z",
            ])
    }

    @Test func theGapRuleHoldsTowardsTheNextBlockToo() {
        // NA-2 at 09:00–10:00 is under way (rule 2) and held; NA-1, which sleeps until 10:30, would
        // leave only 30 free minutes after it, so NA-1 moves to the earliest start that keeps the
        // hour after NA-2: 11:00.
        let plan = Self.plan(
            [
                F.activity("NA-1", priority: 1, minutes: 60, sleepUntil: "2026-03-02T10:30:00Z"),
                F.activity("NA-2", priority: 2, minutes: 60),
            ],
            current: [Self.current("NA-1", "10:30", "11:30"), Self.current("NA-2", "09:00", "10:00")],
            settings: F.settings(minFree: 60))
        #expect(
            plan.blockSummary == [
                "NA-2 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z",
                "NA-1 2026-03-02T11:00:00Z–2026-03-02T12:00:00Z",
            ])
    }

    @Test(arguments: [(45, "09:45"), (90, "10:30")])
    func aChangedDurationPlacesTheActivityAgain(minutes: Int, end: String) {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: minutes)], current: [Self.current("NA-1", "09:30", "10:30")])
        #expect(plan.blockSummary == ["NA-1 2026-03-02T09:00:00Z–2026-03-02T\(end):00Z"])
    }

    @Test func aSmallerMaxBlockPlacesTheActivityAgain() {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 120)], current: [Self.current("NA-1", "09:30", "11:30")],
            settings: F.settings(maxBlock: 60))
        #expect(
            plan.blockSummary == [
                "NA-1 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z 1/2",
                "NA-1 2026-03-02T10:00:00Z–2026-03-02T11:00:00Z 2/2",
            ])
    }

    @Test func aLargerMaxBlockPlacesTheActivityAgain() {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 120)],
            current: [
                Self.current("NA-1", "09:30", "10:30", part: 1), Self.current("NA-1", "10:30", "11:30", part: 2),
            ],
            settings: F.settings(maxBlock: 240))
        #expect(plan.blockSummary == ["NA-1 2026-03-02T09:00:00Z–2026-03-02T11:00:00Z"])
    }

    @Test func aMissingPartPlacesTheActivityAgain() {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 120)], current: [Self.current("NA-1", "09:30", "10:30", part: 1)],
            settings: F.settings(maxBlock: 60))
        #expect(
            plan.blockSummary == [
                "NA-1 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z 1/2",
                "NA-1 2026-03-02T10:00:00Z–2026-03-02T11:00:00Z 2/2",
            ])
    }

    @Test(arguments: [
        (5, "2026-03-02T09:07:00Z"), (15, "2026-03-02T09:10:00Z"), (5, "2026-03-02T09:30:30Z"),
    ])
    func aMisalignedBlockMoves(alignment: Int, start: String) {
        let current = CurrentBlock(
            activityId: "NA-1", part: 1, start: F.instant(start), end: F.instant(start).adding(minutes: 60))
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60)], current: [current], settings: F.settings(alignment: alignment))
        #expect(plan.blockSummary == ["NA-1 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z"])
    }

    @Test func aBlockReachingPastTheShiftMoves() {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60)], current: [Self.current("NA-1", "16:30", "17:30")],
            now: "2026-03-02T16:00:00Z")
        #expect(plan.blockSummary == ["NA-1 2026-03-02T16:00:00Z–2026-03-02T17:00:00Z"])
    }

    @Test func aBlockAcrossTwoTouchingShiftsMoves() {
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60)], current: [Self.current("NA-1", "11:30", "12:30")],
            now: "2026-03-02T11:00:00Z", schedule: F.everyDay([F.shift("09:00", "12:00"), F.shift("12:00", "17:00")]))
        #expect(plan.blockSummary == ["NA-1 2026-03-02T11:00:00Z–2026-03-02T12:00:00Z"])
    }

    @Test func aBlockBeforeTheActivityWakesMoves() {
        // 09:15 is earlier than the earliest start 09:30, so only the sleepUntil rule can move it.
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60, sleepUntil: "2026-03-02T09:30:00Z")],
            current: [Self.current("NA-1", "09:15", "10:15")])
        #expect(plan.blockSummary == ["NA-1 2026-03-02T09:30:00Z–2026-03-02T10:30:00Z"])
    }

    @Test(arguments: [("10:00", "10:00", "11:00"), ("09:10", "09:20", "10:20")])
    func aBlockUnderWayThatBeganBeforeTheActivityWokeMoves(sleepUntil: String, start: String, end: String) {
        // Rule 2 excuses a start before `now`, not one before `sleepUntil` ("every current block
        // satisfies every placement rule ... after sleepUntil ... except that a block may start before
        // now"), whether the activity wakes later (10:00) or woke after the block began (09:10).
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60, sleepUntil: "2026-03-02T\(sleepUntil):00Z")],
            current: [Self.current("NA-1", "09:00", "10:00")], now: "2026-03-02T09:20:00Z")
        #expect(plan.blockSummary == ["NA-1 2026-03-02T\(start):00Z–2026-03-02T\(end):00Z"])
    }

    // MARK: - Odd offsets

    @Test(arguments: [
        // 09:30 Kathmandu (+05:45) is on the 30-minute grid although 03:45Z is not: it stays.
        ("2026-03-02T03:45:00Z", "2026-03-02T03:45:00Z"),
        // 04:00Z is on the UTC grid but 09:45 local is not: it moves to 09:00 local.
        ("2026-03-02T04:00:00Z", "2026-03-02T03:15:00Z"),
    ])
    func alignmentIsJudgedOnTheLocalClock(start: String, expected: String) {
        let current = CurrentBlock(
            activityId: "NA-1", part: 1, start: F.instant(start), end: F.instant(start).adding(minutes: 60))
        let plan = Self.plan(
            [F.activity("NA-1", minutes: 60)], current: [current], now: "2026-03-02T03:15:00Z",
            settings: F.settings(alignment: 30), zone: "Asia/Kathmandu")
        #expect(plan.calendar.map(\.start) == [F.instant(expected)])
        #expect(plan.calendar.map(\.end) == [F.instant(expected).adding(minutes: 60)])
        let local = plan.calendar[0].start.local(in: F.zone("Asia/Kathmandu"))
        #expect(local.minute! % 30 == 0 && local.second == 0)
    }

    // MARK: - The plan document

    static func currentEntry(
        _ activityId: Any? = "NA-1", part: Any? = 1, start: Any? = "2026-03-09T12:30:00Z",
        end: Any? = "2026-03-09T14:30:00Z"
    ) -> [String: Any] {
        var entry: [String: Any] = [:]
        if let activityId { entry["activityId"] = activityId }
        if let part { entry["part"] = part }
        if let start { entry["start"] = start }
        if let end { entry["end"] = end }
        return entry
    }

    static func document(current: Any?, site: [String: Any]? = nil, technician: [String: Any]? = nil) -> [UInt8] {
        PlanDocumentTests.document { object in
            if object["timeZone"] != nil {
                if let current { object["current"] = current }
                if let technician { object["settings"] = technician }
            } else if object["now"] != nil, let site {
                object["settings"] = site
            }
        }
    }

    @Test func theReaderAcceptsCurrentBlocksAndTheTolerance() throws {
        // The document's technician works 08:00–12:00 New York time (12:00Z–16:00Z) on Monday 9 March;
        // NA-1 (120 minutes) would start at 12:00Z, its current block starts 30 minutes later.
        let bytes = Self.document(
            current: [Self.currentEntry(), Self.currentEntry("NA-7", part: 2)],
            site: ["reflowToleranceMinutes": 15], technician: ["reflowToleranceMinutes": 30])
        let problem = try PlanDocumentReader.problem(from: bytes)
        #expect(problem.settings.reflowToleranceMinutes == 15)
        #expect(problem.technicians[0].settings.reflowToleranceMinutes == 30)
        #expect(
            problem.technicians[0].current == [
                CurrentBlock(
                    activityId: "NA-1", part: 1, start: F.instant("2026-03-09T12:30:00Z"),
                    end: F.instant("2026-03-09T14:30:00Z")),
                CurrentBlock(
                    activityId: "NA-7", part: 2, start: F.instant("2026-03-09T12:30:00Z"),
                    end: F.instant("2026-03-09T14:30:00Z")),
            ])
        #expect(
            Planner.plan(problem).technicians[0].calendar.map { "\($0.activityId) \($0.start)–\($0.end)" } == [
                "NA-1 2026-03-09T12:30:00Z–2026-03-09T14:30:00Z"
            ])
    }

    @Test(arguments: [
        (nil, 60, "12:30"), (0, 60, "12:30"), (60, 0, "12:00"), (nil, 29, "12:00"), (29, nil, "12:00"),
        (30, nil, "12:30"), (nil, nil, "12:30"),
    ])
    func theDocumentsToleranceDecides(site: Int?, technician: Int?, start: String) throws {
        let problem = try PlanDocumentReader.problem(
            from: Self.document(
                current: [Self.currentEntry()], site: site.map { ["reflowToleranceMinutes": $0] },
                technician: technician.map { ["reflowToleranceMinutes": $0] }))
        #expect(Planner.plan(problem).technicians[0].calendar.map(\.start) == [F.instant("2026-03-09T\(start):00Z")])
    }

    @Test func aDocumentWithoutCurrentOrWithOtherActivitiesIsPlannedAsBefore() throws {
        let without = try PlanDocumentReader.problem(from: Self.document(current: nil))
        #expect(without.technicians[0].current.isEmpty)
        let empty = try PlanDocumentReader.problem(from: Self.document(current: [Any]()))
        let other = try PlanDocumentReader.problem(
            from: Self.document(current: [Self.currentEntry("NA-404"), Self.currentEntry("na-1")]))
        #expect(Planner.plan(empty) == Planner.plan(without))
        #expect(Planner.plan(other) == Planner.plan(without))
        #expect(
            Planner.plan(without).technicians[0].calendar.map(\.start) == [F.instant("2026-03-09T12:00:00Z")])
    }

    struct Refusal: @unchecked Sendable, CustomTestStringConvertible {
        let name: String
        /// Words the message must contain besides the technician's id.
        let words: [String]
        let current: Any?
        let site: [String: Int]?
        let technician: [String: String]?
        var testDescription: String { name }

        init(
            _ name: String, _ words: [String], current: Any? = nil, site: [String: Int]? = nil,
            technician: [String: String]? = nil
        ) {
            self.name = name
            self.words = words
            self.current = current
            self.site = site
            self.technician = technician
        }
    }

    static let refusals: [Refusal] = [
        Refusal("part zero", ["29682885", "current", "part"], current: [currentEntry(part: 0)]),
        Refusal("part fractional", ["29682885", "current", "part"], current: [currentEntry(part: 1.5)]),
        Refusal("part as string", ["29682885", "current", "part"], current: [currentEntry(part: "1")]),
        Refusal(
            "part missing", ["29682885", "current", "part"],
            current: [["activityId": "NA-1", "start": "2026-03-09T12:30:00Z", "end": "2026-03-09T14:30:00Z"]]),
        Refusal(
            "end equals start", ["29682885", "current", "end"],
            current: [currentEntry(end: "2026-03-09T12:30:00Z")]),
        Refusal(
            "end before start", ["29682885", "current", "end"],
            current: [currentEntry(end: "2026-03-09T12:00:00Z")]),
        Refusal(
            "end missing", ["29682885", "current", "end"],
            current: [["activityId": "NA-1", "part": 1, "start": "2026-03-09T12:30:00Z"]]),
        Refusal(
            "start missing", ["29682885", "current", "start"],
            current: [["activityId": "NA-1", "part": 1, "end": "2026-03-09T14:30:00Z"]]),
        Refusal(
            "start without zone", ["29682885", "current", "start"],
            current: [currentEntry(start: "2026-03-09T12:30:00")]),
        Refusal(
            "activityId missing", ["29682885", "current", "activityId"],
            current: [["part": 1, "start": "2026-03-09T12:30:00Z", "end": "2026-03-09T14:30:00Z"]]),
        Refusal("activityId a number", ["29682885", "current", "activityId"], current: [currentEntry(17)]),
        Refusal(
            "duplicate activity and part", ["29682885", "current[1]", "NA-1"],
            current: [currentEntry(), currentEntry(start: "2026-03-10T12:30:00Z", end: "2026-03-10T14:30:00Z")]),
        Refusal("current not a list", ["29682885", "current"], current: ["activityId": "NA-1"]),
        Refusal("entry not an object", ["29682885", "current"], current: ["NA-1"]),
        Refusal("negative tolerance", ["settings", "reflowToleranceMinutes"], site: ["reflowToleranceMinutes": -1]),
        Refusal(
            "tolerance as string", ["29682885", "settings", "reflowToleranceMinutes"],
            technician: ["reflowToleranceMinutes": "60"]),
    ]

    @Test(arguments: refusals)
    func badCurrentBlocksAndTolerancesAreRefusedByName(_ refusal: Refusal) {
        let problems = PlanDocumentTests.problems(
            Self.document(current: refusal.current, site: refusal.site, technician: refusal.technician))
        #expect(
            problems.contains { problem in refusal.words.allSatisfy { problem.contains($0) } },
            "expected a problem naming \(refusal.words), got \(problems)")
    }

    @Test func aDuplicatePartOfAnotherActivityIsNotADuplicate() throws {
        let problem = try PlanDocumentReader.problem(
            from: Self.document(current: [
                Self.currentEntry(part: 1),
                Self.currentEntry(part: 2, start: "2026-03-09T14:30:00Z", end: "2026-03-09T15:00:00Z"),
                Self.currentEntry("NA-2", part: 1),
            ]))
        #expect(problem.technicians[0].current.count == 3)
    }

    // MARK: - Explanations

    /// The calendar's "why here" names the calm rule for a kept block instead of a wrong cause.
    @Test func theExplanationOfAKeptBlockSaysItStaysWhereItIs() throws {
        var technician = F.technician(
            zone: "UTC", schedule: F.everyDay([F.shift("09:00", "17:00")]),
            activities: [F.activity("NA-1", priority: 1, minutes: 60), F.activity("NA-2", priority: 2, minutes: 60)])
        technician.current = [Self.current("NA-1", "09:00", "10:00"), Self.current("NA-2", "10:30", "11:30")]
        let now = F.instant("2026-03-02T09:20:00Z")
        var settings = F.settings()
        settings.reflowToleranceMinutes = 60
        let plan = Planner.plan(technician, now: now, settings: settings)
        func explanation(_ id: String) throws -> String {
            let block = try #require(plan.calendar.first { $0.activityId == id })
            return CalendarInsight.explanation(
                of: block, technician: technician, plan: plan, settings: settings, now: now)
        }
        #expect(try explanation("NA-1").contains("under way on the calendar since"))
        #expect(try explanation("NA-1").contains("nobody has pressed Start"))
        #expect(try explanation("NA-2").contains("stays where it already is on the calendar"))
        #expect(try explanation("NA-2").contains("at most 60 minutes later"))
    }
}
