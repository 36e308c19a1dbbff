import Foundation
import LiftoffCore
import PropertyBased
import Testing

/// Invariants of *A calm calendar* (docs/scheduling.md): the calendar plan made with the blocks that
/// are on the PSA calendar now. The problems are PlannerPropertyTests' random problems (zones with
/// daylight-saving changes and odd offsets, random shifts, meetings, sleepers, started work, gap
/// rule and booking profile); `current` is cut from plans of the same problem made at other moments,
/// shifted, re-cut, relabelled, put under way, or made up. The checker reads the spec and the problem
/// directly and shares no code with the planner.
@Suite struct CalmCalendarPropertyTests {
    typealias Base = PlannerPropertyTests
    typealias Scenario = PlannerPropertyTests.Scenario

    /// Cases per property; `LIFTOFF_PROPERTY_COUNT=5000 swift test --filter CalmCalendarPropertyTests` searches harder.
    static let propertyCount = ProcessInfo.processInfo.environment["LIFTOFF_PROPERTY_COUNT"].flatMap(Int.init) ?? 300

    /// Runs `body` on random problems; the second argument draws further random choices for the case.
    static func check(_ body: @escaping @Sendable (Scenario, inout SplitMix64) -> Void) async {
        await propertyCheck(
            count: propertyCount, input: Base.input.0, Base.input.1, Base.input.2, Base.input.3
        ) { seed, minFree, alignment, profile in
            let scenario = Base.scenario(
                seed: UInt64(seed), minFree: minFree, alignmentIndex: alignment, withProfile: profile)
            var random = SplitMix64(seed: UInt64(seed) ^ 0xCA1B_CA1E_0000_0001)
            body(scenario, &random)
        }
    }

    // MARK: - Building problems

    static func plan(_ scenario: Scenario) -> TechnicianPlan { Planner.plan(scenario.problem).technicians[0] }

    /// `scenario` with the technician's `current` blocks, and optionally another tolerance or moment.
    static func with(
        _ scenario: Scenario, current: [CurrentBlock], tolerance: Int? = nil, now: Instant? = nil,
        activities: [NextActivity]? = nil
    ) -> Scenario {
        var problem = scenario.problem
        problem.technicians[0].current = current
        if let tolerance { problem.settings.reflowToleranceMinutes = tolerance }
        if let now { problem.now = now }
        if let activities { problem.technicians[0].nextActivities = activities }
        return Scenario(problem: problem, settings: problem.settings)
    }

    static func current(_ block: CalendarBlock) -> CurrentBlock {
        CurrentBlock(activityId: block.activityId, part: block.part, start: block.start, end: block.end)
    }

    static func startedIds(_ scenario: Scenario) -> Set<String> {
        Set(scenario.technician.nextActivities.filter { $0.startedAt != nil }.map(\.id))
    }

    /// The plan's blocks of activities that have not started, as `current` entries.
    static func unstartedBlocks(_ plan: TechnicianPlan, _ scenario: Scenario) -> [CurrentBlock] {
        let started = startedIds(scenario)
        return plan.calendar.filter { !started.contains($0.activityId) }.map(current)
    }

    static func tolerance(_ random: inout SplitMix64) -> Int {
        [0, 5, 29, 30, 60, 60, 240, 100_000, 100_000][Int.random(in: 0...8, using: &random)]
    }

    static func shifted(_ instant: Instant, milliseconds: Int64) -> Instant {
        Instant(millisecondsSinceEpoch: instant.millisecondsSinceEpoch + milliseconds)
    }

    /// The block lengths the calendar plan cuts `minutes` into.
    static func cut(_ minutes: Int, maxBlock: Int) -> [Int] {
        let parts = (minutes + maxBlock - 1) / maxBlock
        return (0..<parts).map { $0 < parts - 1 ? maxBlock : minutes - (parts - 1) * maxBlock }
    }

    /// The problem as the previous run may have seen it: at another moment, before a meeting was
    /// booked or after one was cancelled, with an activity that has since been done or has newly
    /// arrived, or with other gap settings. Its plan's blocks are mostly still good now.
    static func whatMayHaveHappened(_ scenario: Scenario, _ random: inout SplitMix64) -> [Scenario] {
        func pick(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        let now = scenario.problem.now
        var variants = [
            with(scenario, current: [], now: now.adding(minutes: -pick(1...600))),
            with(scenario, current: [], now: now.adding(minutes: pick(1...3000))),
        ]
        var problem = scenario.problem
        if !problem.technicians[0].busy.isEmpty {
            problem.technicians[0].busy.remove(at: pick(0...(problem.technicians[0].busy.count - 1)))
        }
        let start = now.adding(minutes: pick(0...(3 * 1440)))
        problem.technicians[0].busy.append(
            BusyItem(kind: .imported, start: start, end: start.adding(minutes: pick(15...240))))
        if problem.technicians[0].nextActivities.count > 1 {
            problem.technicians[0].nextActivities.remove(
                at: pick(0...(problem.technicians[0].nextActivities.count - 1)))
        }
        problem.technicians[0].nextActivities.append(
            NextActivity(
                id: "gone", priority: pick(1...4), durationMinutes: pick(15...300),
                ticketCreated: now.adding(minutes: -pick(0...40_000))))
        variants.append(Scenario(problem: problem, settings: problem.settings))
        problem = scenario.problem
        problem.settings.minMinutesFreeBetweenActivities = [0, 15, 60][pick(0...2)]
        problem.settings.bookingProfile = nil
        variants.append(Scenario(problem: problem, settings: problem.settings))
        return variants
    }

    /// Arbitrary `current` blocks for `scenario`, valid as the plan format allows (part >= 1, end
    /// after start, one entry per activity and part) but otherwise anything: still good, shifted,
    /// misaligned, overlapping, cut differently, under way, ended, or for activities that do not exist.
    static func arbitraryCurrent(_ scenario: Scenario, _ random: inout SplitMix64) -> [CurrentBlock] {
        let now = scenario.problem.now
        let technician = scenario.technician
        let alignment = scenario.settings.alignmentMinutes
        let sources = [plan(scenario)] + whatMayHaveHappened(scenario, &random).map(plan)
        var result: [CurrentBlock] = []
        for activity in technician.nextActivities {
            func pick(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
            let sourcePlan = sources[pick(0...(sources.count - 1))]
            let source = sourcePlan.calendar.filter { $0.activityId == activity.id }.map(current)
            var blocks: [CurrentBlock]
            switch pick(0...10) {
            case 0:
                blocks = []
            case 1, 2:
                blocks = source
            case 3:
                let delta = pick(-3...8) * [1, alignment, alignment, 15, 60][pick(0...4)]
                blocks = source.map {
                    CurrentBlock(
                        activityId: $0.activityId, part: $0.part, start: $0.start.adding(minutes: delta),
                        end: $0.end.adding(minutes: delta))
                }
            case 4:
                blocks = source
                if !blocks.isEmpty {
                    let index = pick(0...(blocks.count - 1))
                    let delta = pick(-90...90)
                    blocks[index].start = blocks[index].start.adding(minutes: delta)
                    blocks[index].end = blocks[index].end.adding(minutes: delta)
                }
            case 5:
                // Another activity's blocks, relabelled: overlaps work placed before or after.
                let other = technician.nextActivities[pick(0...(technician.nextActivities.count - 1))].id
                blocks = sources[pick(0...(sources.count - 1))].calendar.filter { $0.activityId == other }.map {
                    CurrentBlock(activityId: activity.id, part: $0.part, start: $0.start, end: $0.end)
                }
            case 6:
                // A part missing, or parts numbered from 2.
                blocks =
                    pick(0...1) == 0
                    ? Array(source.dropLast())
                    : source.map { block in
                        var block = block
                        block.part += 1
                        return block
                    }
            case 7:
                blocks = source.map { block in
                    var block = block
                    block.end = block.end.adding(minutes: pick(-30...30))
                    return block
                }
            case 8:
                blocks = (0..<pick(1...3)).map { index in
                    let start = shifted(now.adding(minutes: pick(-600...4000)), milliseconds: Int64(pick(0...59_999)))
                    return CurrentBlock(
                        activityId: activity.id, part: index + 1, start: start,
                        end: start.adding(minutes: pick(1...480)))
                }
            default:
                // Cut as the plan cuts it, aligned on the local clock, starting at or before `now`:
                // often under way and often good.
                var start = Instant(millisecondsSinceEpoch: now.millisecondsSinceEpoch / 60_000 * 60_000)
                while Base.local(start, technician.timeZone, isEnd: false).minute % alignment != 0 {
                    start = start.adding(minutes: -1)
                }
                start = start.adding(minutes: -alignment * pick(0...8))
                blocks = []
                for (index, minutes) in cut(activity.durationMinutes, maxBlock: scenario.settings.maxBlockMinutes)
                    .enumerated()
                {
                    blocks.append(
                        CurrentBlock(
                            activityId: activity.id, part: index + 1, start: start, end: start.adding(minutes: minutes))
                    )
                    start = start.adding(minutes: minutes + (pick(0...3) == 0 ? alignment * pick(0...12) : 0))
                }
            }
            result += blocks
        }
        for index in 0..<Int.random(in: 0...2, using: &random) {
            let start = now.adding(minutes: Int.random(in: -300...3000, using: &random))
            result.append(
                CurrentBlock(activityId: "ghost-\(index)", part: 1, start: start, end: start.adding(minutes: 60)))
        }
        var seen = Set<String>()
        return result.filter {
            $0.part >= 1 && $0.end > $0.start && seen.insert("\($0.activityId)#\($0.part)").inserted
        }
    }

    // MARK: - The checker's reading of the placement rules

    /// The real time `[from, to)` of the shift that holds `[start, end)`, if any.
    static func shiftSpan(holding start: Instant, _ end: Instant, _ scenario: Scenario) -> (Instant, Instant)? {
        let zone = scenario.technician.timeZone
        let date = Base.local(start, zone, isEnd: false).date
        for day in [date.adding(days: -1), date] {
            for shift in scenario.technician.workSchedule.shifts(on: day) {
                let from = Base.instant(day, shift.start.minutesSinceMidnight, zone)
                let to = Base.instant(day, shift.end.minutesSinceMidnight, zone)
                if from <= start && end <= to { return (from, to) }
            }
        }
        return nil
    }

    /// Every placement rule of the calendar plan that `plan` breaks, as readable sentences. A block of
    /// an unstarted activity may start before `now` only as one of the given current blocks, under way.
    static func violations(_ scenario: Scenario, _ plan: TechnicianPlan) -> [String] {
        let technician = scenario.technician
        let settings = scenario.settings
        let now = scenario.problem.now
        let horizonEnd = now.adding(minutes: settings.horizonDays * 1440)
        let blocking = Base.blocking(scenario)
        let given = Set(technician.current)
        let started = startedIds(scenario)
        let unscheduled = Set(plan.unscheduled.map(\.activityId))
        let minimumFree = Int64(settings.minMinutesFreeBetweenActivities) * 60_000
        var found: [String] = []

        for activity in technician.nextActivities {
            let blocks = plan.calendar.filter { $0.activityId == activity.id }.sorted { $0.part < $1.part }
            if let startedAt = activity.startedAt {
                let end = max(now, startedAt.adding(minutes: activity.durationMinutes))
                if blocks.map({ "\($0.start)–\($0.end)" }) != ["\(startedAt)–\(end)"] {
                    found.append("started \(activity.id) is not the one block \(startedAt)–\(end): \(blocks)")
                }
                continue
            }
            if unscheduled.contains(activity.id) {
                if !blocks.isEmpty { found.append("unscheduled \(activity.id) keeps blocks \(blocks)") }
                continue
            }
            let lengths = blocks.map { Int(($0.end.millisecondsSinceEpoch - $0.start.millisecondsSinceEpoch) / 60_000) }
            if lengths != cut(activity.durationMinutes, maxBlock: settings.maxBlockMinutes)
                || blocks.map(\.part) != Array(1...max(1, blocks.count))
                || !blocks.allSatisfy({ $0.parts == blocks.count })
            {
                found.append("\(activity.id) is not cut into blocks of maxBlockMinutes: \(blocks)")
            }
            for (previous, next) in zip(blocks, blocks.dropFirst()) where next.start < previous.end {
                found.append("\(activity.id) part \(next.part) starts before part \(previous.part) ends")
            }
        }

        for block in plan.calendar where !started.contains(block.activityId) {
            let name = "\(block.activityId) \(block.part)/\(block.parts) \(block.start)–\(block.end)"
            guard let activity = technician.nextActivities.first(where: { $0.id == block.activityId }) else {
                found.append("\(name) belongs to no activity")
                continue
            }
            let asGiven = CurrentBlock(
                activityId: block.activityId, part: block.part, start: block.start, end: block.end)
            if block.start < now && !(given.contains(asGiven) && now < block.end) {
                found.append("\(name) starts before now \(now) and is not a current block under way")
            }
            if let sleepUntil = activity.sleepUntil, block.start < sleepUntil {
                found.append("\(name) starts before sleepUntil \(sleepUntil)")
            }
            if block.end > horizonEnd { found.append("\(name) ends after the horizon \(horizonEnd)") }
            let local = Base.local(block.start, technician.timeZone, isEnd: false)
            if local.second != 0 || block.start.millisecondsSinceEpoch % 1000 != 0
                || local.minute % settings.alignmentMinutes != 0
            {
                found.append("\(name) is not aligned to \(settings.alignmentMinutes) local minutes")
            }
            for (start, end) in blocking where start < block.end && block.start < end {
                found.append("\(name) overlaps busy \(start)–\(end)")
            }
            for other in plan.calendar where other != block && other.start < block.end && block.start < other.end {
                found.append("\(name) overlaps \(other.activityId) \(other.part) \(other.start)–\(other.end)")
            }
            guard let span = shiftSpan(holding: block.start, block.end, scenario) else {
                found.append("\(name) lies in no single shift")
                continue
            }
            let (shiftStart, shiftEnd) = span
            let others = plan.calendar.filter { $0 != block }
            let gaps = [
                others.filter { $0.end > shiftStart && $0.end <= block.start }.map(\.end).max().map {
                    ($0, block.start)
                },
                others.filter { $0.start >= block.end && $0.start < shiftEnd }.map(\.start).min().map {
                    (block.end, $0)
                },
            ]
            for case let (from, to)? in gaps {
                if Base.longestFree(from, to, blocking) < minimumFree {
                    found.append("\(name): less than \(minimumFree / 60_000) free minutes in \(from)–\(to)")
                }
                if let profile = settings.bookingProfile,
                    !Base.hasSlot(from, to, profile, blocking, technician.timeZone)
                {
                    found.append("\(name): no bookable slot in \(from)–\(to)")
                }
            }
        }
        if plan.calendar.map(\.start) != plan.calendar.map(\.start).sorted() {
            found.append("the calendar is not sorted by start")
        }
        return found
    }

    // MARK: - Properties

    /// Entries for activities the technician does not have are ignored: the plan is the plan without `current`.
    @Test func currentBlocksOfOtherActivitiesChangeNothing() async {
        await Self.check { scenario, random in
            let ids = scenario.technician.nextActivities.map(\.id)
            var ghosts: [CurrentBlock] = []
            for index in 0..<Int.random(in: 1...8, using: &random) {
                let start = scenario.problem.now.adding(minutes: Int.random(in: -600...5000, using: &random))
                let id = [
                    "ghost-\(index)", ids[index % ids.count].lowercased(), ids[index % ids.count] + " ",
                    "x" + ids[index % ids.count],
                ][Int.random(in: 0...3, using: &random)]
                ghosts.append(
                    CurrentBlock(
                        activityId: id, part: Int.random(in: 1...3, using: &random), start: start,
                        end: start.adding(minutes: Int.random(in: 1...480, using: &random))))
            }
            var seen = Set<String>()
            ghosts = ghosts.filter {
                !ids.contains($0.activityId) && seen.insert("\($0.activityId)#\($0.part)").inserted
            }
            let calm = Self.with(scenario, current: ghosts, tolerance: Self.tolerance(&random))
            #expect(Self.plan(calm) == Self.plan(scenario), "ghost current blocks \(ghosts) changed the plan")
        }
    }

    /// Feeding a plan's own blocks back at the same moment gives the same plan, at any tolerance.
    @Test func feedingThePlanBackAtTheSameMomentChangesNothing() async {
        await Self.check { scenario, random in
            let first = Self.plan(scenario)
            let again = Self.with(
                scenario, current: Self.unstartedBlocks(first, scenario), tolerance: Self.tolerance(&random))
            let second = Self.plan(again)
            #expect(second.calendar == first.calendar)
            #expect(second.workboard == first.workboard)
            // The same activities stay unscheduled. Their reason may name an earlier block: a block
            // placed at exactly `now` is under way the second time and held before higher work.
            #expect(second.unscheduled.map(\.activityId) == first.unscheduled.map(\.activityId))
        }
    }

    /// Reflow twice in a row: whatever `current` the first run saw, feeding its answer back at the
    /// same moment keeps every block (kept blocks are still good, re-placed ones are at the earliest start).
    @Test func aSecondRunRightAfterACalmRunChangesNothing() async {
        await Self.check { scenario, random in
            let tolerance = Self.tolerance(&random)
            let calm = Self.with(scenario, current: Self.arbitraryCurrent(scenario, &random), tolerance: tolerance)
            let first = Self.plan(calm)
            let second = Self.plan(
                Self.with(scenario, current: Self.unstartedBlocks(first, scenario), tolerance: tolerance))
            #expect(
                second.calendar == first.calendar && second.workboard == first.workboard
                    && second.unscheduled.map(\.activityId) == first.unscheduled.map(\.activityId),
                "current \(calm.technician.current), tolerance \(tolerance): \(first.calendar) became \(second.calendar)"
            )
        }
    }

    /// A later run moves nothing while nothing happened: no block has ended, nothing started, nothing
    /// was left unscheduled, and nothing else changed. Blocks that began meanwhile are under way and stay;
    /// the others are still exactly where the earliest-start rule puts them.
    @Test func aLaterRunWritesNothingWhileNothingHappened() async {
        await Self.check { scenario, random in
            var activities = scenario.technician.nextActivities.map { activity in
                var activity = activity
                activity.startedAt = nil
                return activity
            }
            let now = scenario.problem.now
            var first = Self.plan(Self.with(scenario, current: [], activities: activities))
            if !first.unscheduled.isEmpty {
                // Unscheduled activities keep no block, so dropping them leaves the others where they are.
                let unscheduled = Set(first.unscheduled.map(\.activityId))
                activities.removeAll { unscheduled.contains($0.id) }
                guard !activities.isEmpty else { return }
                first = Self.plan(Self.with(scenario, current: [], activities: activities))
                guard first.unscheduled.isEmpty else { return }
            }
            guard let firstEnd = first.calendar.map(\.end).min() else { return }
            let latest = min(now.adding(minutes: 3 * 1440).millisecondsSinceEpoch, firstEnd.millisecondsSinceEpoch - 1)
            let span = latest - now.millisecondsSinceEpoch
            let starts = first.calendar.map(\.start).filter { $0.millisecondsSinceEpoch <= latest }
            let later: Instant
            switch Int.random(in: 0...3, using: &random) {
            case 0 where !starts.isEmpty: later = starts[Int.random(in: 0...(starts.count - 1), using: &random)]
            case 1: later = Instant(millisecondsSinceEpoch: latest)
            case 2: later = now.adding(minutes: Int(Int64.random(in: 0...span, using: &random) / 60_000))
            default: later = Self.shifted(now, milliseconds: Int64.random(in: 0...span, using: &random))
            }
            let tolerance = Self.tolerance(&random)
            let second = Self.plan(
                Self.with(
                    scenario, current: first.calendar.map(Self.current), tolerance: tolerance, now: later,
                    activities: activities))
            #expect(
                second.calendar == first.calendar,
                "planned at \(now), again at \(later) with tolerance \(tolerance): \(first.calendar) became \(second.calendar)"
            )
            #expect(second.unscheduled.isEmpty)
        }
    }

    /// Whatever `current` says, every block keeps every placement rule.
    @Test func everyBlockKeepsEveryPlacementRuleWhateverIsCurrent() async {
        await Self.check { scenario, random in
            let current = Self.arbitraryCurrent(scenario, &random)
            var problem = Self.with(scenario, current: current, tolerance: Self.tolerance(&random)).problem
            if Int.random(in: 0...3, using: &random) == 0 {
                problem.technicians[0].settings.reflowToleranceMinutes = Self.tolerance(&random)
            }
            let calm = Scenario(problem: problem, settings: problem.settings)
            let plan = Self.plan(calm)
            let problems = Self.violations(calm, plan)
            #expect(problems.isEmpty, "\(problems.prefix(5)) — current \(current), calendar \(plan.calendar)")
        }
    }

    /// Packed (no gap rule, no booking profile), the blocks placed before an activity act on it exactly
    /// like meetings, and so do the blocks of lower activities held because they are under way (rule
    /// 2: kept where they are, their first block begun), so the earliest-start rule can be replayed
    /// for that activity alone. Every activity then has either its current blocks — starting no
    /// earlier than that earliest start unless under way, and no more than `reflowToleranceMinutes`
    /// later — or exactly the earliest-start blocks.
    @Test func eachActivityKeepsItsCurrentBlocksWithinTheToleranceOrTakesTheEarliestStart() async {
        await propertyCheck(count: Self.propertyCount, input: Base.input.0, Base.input.2) { seed, alignment in
            let scenario = Base.scenario(seed: UInt64(seed), minFree: 0, alignmentIndex: alignment, withProfile: false)
            var random = SplitMix64(seed: UInt64(seed) ^ 0x7015_E2A7_0000_0002)
            let tolerance = Self.tolerance(&random)
            let calm = Self.with(scenario, current: Self.arbitraryCurrent(scenario, &random), tolerance: tolerance)
            let plan = Self.plan(calm)
            let now = calm.problem.now
            var placedBefore: [CalendarBlock] = []
            // Activities whose current blocks were kept with the first one under way were held.
            var heldBlocks: [String: [CalendarBlock]] = [:]
            for entry in plan.workboard {
                let blocks = plan.calendar.filter { $0.activityId == entry.activityId }.sorted { $0.part < $1.part }
                let given = calm.technician.current.filter { $0.activityId == entry.activityId }
                    .sorted { $0.part < $1.part }
                let started = calm.technician.nextActivities.first { $0.id == entry.activityId }?.startedAt != nil
                if !started, let first = blocks.first, first.start <= now, first.end > now,
                    blocks.map(Self.current) == given
                {
                    heldBlocks[entry.activityId] = blocks
                }
            }
            for (position, entry) in plan.workboard.enumerated() {
                let activity = calm.technician.nextActivities.first { $0.id == entry.activityId }!
                let blocks = plan.calendar.filter { $0.activityId == activity.id }.sorted { $0.part < $1.part }
                defer { placedBefore += blocks }
                guard activity.startedAt == nil else { continue }
                var alone = calm.problem
                alone.technicians[0].nextActivities = [activity]
                alone.technicians[0].current = []
                let heldLater = plan.workboard.dropFirst(position + 1).flatMap { heldBlocks[$0.activityId] ?? [] }
                alone.technicians[0].busy += (placedBefore + heldLater).map {
                    BusyItem(kind: .imported, start: $0.start, end: $0.end)
                }
                let earliest = Planner.plan(alone).technicians[0].calendar
                if blocks == earliest { continue }
                let given = calm.technician.current.filter { $0.activityId == activity.id }.sorted { $0.part < $1.part }
                guard !blocks.isEmpty, blocks.map(Self.current) == given else {
                    Issue.record(
                        "\(activity.id): \(blocks) are neither its current blocks \(given) nor the earliest \(earliest)"
                    )
                    continue
                }
                guard let first = blocks.first, let start = earliest.first?.start, first.start >= now else { continue }
                #expect(
                    first.start >= start && first.start <= start.adding(minutes: tolerance),
                    "\(activity.id) kept at \(first.start); earliest start \(start), tolerance \(tolerance)")
            }
        }
    }

    /// The work plan — order, positions, estimates, atRisk — never depends on `current`.
    @Test func theWorkPlanNeverDependsOnCurrent() async {
        await Self.check { scenario, random in
            let calm = Self.with(
                scenario, current: Self.arbitraryCurrent(scenario, &random), tolerance: Self.tolerance(&random))
            #expect(Self.plan(calm).workboard == Self.plan(scenario).workboard)
        }
    }
}
