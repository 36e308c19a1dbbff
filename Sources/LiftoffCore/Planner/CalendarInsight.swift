import Foundation

/// What the dispatcher calendar adds to a plan: the free time left inside working hours, and why each
/// block sits where it does. Pure functions of the problem and the planner's answer, so the page and
/// the API explain exactly what the planner did.
public enum CalendarInsight {
    /// A stretch of time on the calendar.
    public struct Interval: Hashable, Sendable {
        public var start: Instant
        public var end: Instant

        public init(start: Instant, end: Instant) {
            self.start = start
            self.end = end
        }
    }

    /// The technician's shifts touching `[from, to)`, as instants (wall-clock rules resolved in
    /// their zone, daylight-saving changes included).
    public static func workingTime(technician: Technician, from: Instant, to: Instant) -> [Interval] {
        guard from < to else { return [] }
        let timeline = ZoneTimeline(timeZone: technician.timeZone, from: from, to: to)
        return technician.workSchedule.shiftIntervals(
            from: from.millisecondsSinceEpoch, to: to.millisecondsSinceEpoch, in: timeline
        ).map { Interval(start: .init(millisecondsSinceEpoch: $0.start), end: .init(millisecondsSinceEpoch: $0.end)) }
    }

    /// Working time in `[from, to)` that nothing occupies: no block of the plan, no busy item that
    /// blocks work. Time before `now` is never free. This is the time bookings can land in.
    public static func freeTime(
        technician: Technician, plan: TechnicianPlan, settings: Settings, from: Instant, to: Instant, now: Instant
    ) -> [Interval] {
        let start = max(from, now).millisecondsSinceEpoch
        let end = to.millisecondsSinceEpoch
        guard start < end else { return [] }
        let timeline = ZoneTimeline(timeZone: technician.timeZone, from: Instant(millisecondsSinceEpoch: start), to: to)
        let shifts = technician.workSchedule.shiftIntervals(from: start, to: end, in: timeline)
        let taken =
            (technician.busy.filter {
                $0.blocks(blockOnFreeExternalAppointments: settings.blockOnFreeExternalAppointments)
            }
            .map { Span(start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch) }
            + plan.calendar.map { Span(start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch) })
            .merged()
        var free: [Interval] = []
        for shift in shifts {
            var cursor = max(shift.start, start)
            let shiftEnd = min(shift.end, end)
            var index = taken.firstIndex(endingAfter: cursor)
            while cursor < shiftEnd {
                if index < taken.count, taken[index].start < shiftEnd {
                    if taken[index].start > cursor {
                        free.append(
                            .init(
                                start: .init(millisecondsSinceEpoch: cursor),
                                end: .init(millisecondsSinceEpoch: taken[index].start)))
                    }
                    cursor = max(cursor, taken[index].end)
                    index += 1
                } else {
                    free.append(
                        .init(
                            start: .init(millisecondsSinceEpoch: cursor), end: .init(millisecondsSinceEpoch: shiftEnd)))
                    cursor = shiftEnd
                }
            }
        }
        return free
    }

    /// Why `block` is where it is, in words a dispatcher reads: its place in Workboard order and what
    /// decided its start (the start of working hours, the item it follows and the free time kept
    /// after it, a sleep-until, or earlier windows that were too short).
    public static func explanation(
        of block: CalendarBlock, technician: Technician, plan: TechnicianPlan, settings: Settings, now: Instant
    ) -> String {
        Explainer(technician: technician, plan: plan, settings: settings, now: now).explain(block)
    }

    /// Explains the blocks of one technician's plan; made once per technician because formatting
    /// times in their zone is the costly part.
    public struct Explainer {
        let technician: Technician
        let plan: TechnicianPlan
        let settings: Settings
        let now: Instant
        private let clock: WallClockReader
        /// The shifts around the plan's blocks, worked out once.
        private let shifts: [Span]

        public init(technician: Technician, plan: TechnicianPlan, settings: Settings, now: Instant) {
            self.technician = technician
            self.plan = plan
            self.settings = settings
            self.now = now
            let first = plan.calendar.map(\.start).min() ?? now
            let last = plan.calendar.map(\.end).max() ?? now
            let from = min(first, now).adding(minutes: -1440)
            let timeline = ZoneTimeline(timeZone: technician.timeZone, from: from, to: last)
            shifts =
                plan.calendar.isEmpty
                ? []
                : technician.workSchedule.shiftIntervals(
                    from: from.millisecondsSinceEpoch, to: last.millisecondsSinceEpoch, in: timeline)
            clock = WallClockReader(timeZone: technician.timeZone, timeline: timeline, from: from, to: last)
        }

        func time(_ instant: Instant) -> String {
            clock.dayAndClock(instant)
        }

        public func explain(_ block: CalendarBlock) -> String {
            var sentences: [String] = []
            let activity = technician.nextActivities.first { $0.id == block.activityId }
            if let entry = plan.workboard.first(where: { $0.activityId == block.activityId }) {
                var order = "Position \(entry.position) of \(plan.workboard.count) in Workboard order"
                if let activity {
                    order += " (priority \(activity.priority), ticket created \(time(activity.ticketCreated))"
                    order += activity.dueDateTime.map { ", due \(time($0))" } ?? ""
                    order += ")"
                }
                sentences.append(order + ".")
                if let overtaking = overtakingReason(of: block, position: entry.position) {
                    sentences.append(overtaking)
                }
                if let risk = DueDateRisk(entry), risk.isAtRisk {
                    let sentence = risk.sentence(time: time)
                    sentences.append("At risk: " + sentence + ".")
                }
            }
            if block.parts > 1 {
                sentences.append(
                    "Block \(block.part) of \(block.parts): longer work is split at the maximum block length.")
            }
            sentences.append(
                CalendarInsight.startReason(
                    of: block, activity: activity, technician: technician, plan: plan, settings: settings, now: now,
                    shifts: shifts, time: time))
            return sentences.joined(separator: " ")
        }
    }

    /// What decided the block's start. Checked from the most specific cause to the least: work
    /// already under way, a sleep-until, the item it directly follows (with the free time the gap
    /// rule keeps after another block), the start of working hours, `now`.
    fileprivate static func startReason(
        of block: CalendarBlock, activity: NextActivity?, technician: Technician, plan: TechnicianPlan,
        settings: Settings, now: Instant, shifts: [Span], time: (Instant) -> String
    ) -> String {
        let start = block.start.millisecondsSinceEpoch
        let grid = Int64(max(settings.alignmentMinutes, 1)) * 60_000
        let gap = Int64(settings.minMinutesFreeBetweenActivities) * 60_000
        if let started = activity?.startedAt, block.part == 1, started.millisecondsSinceEpoch == start {
            return "Work started at \(time(started)); the block stays where it is until the activity is completed."
        }
        // Kept where it already was on the calendar (*A calm calendar*), rather than placed afresh.
        let kept =
            activity?.startedAt == nil
            && technician.current.contains {
                $0.activityId == block.activityId && $0.part == block.part && $0.start == block.start
                    && $0.end == block.end
            }
        if kept && start < now.millisecondsSinceEpoch {
            return "It has been under way on the calendar since \(time(block.start)), though nobody has pressed "
                + "Start; it stays until it ends."
        }
        if let sleep = activity?.sleepUntil, sleep.millisecondsSinceEpoch <= start,
            start - sleep.millisecondsSinceEpoch < grid
        {
            return "It sleeps until \(time(sleep)), so it starts then."
        }
        // The latest thing that ends at or before the block's start, if it ends close enough to
        // explain it: a busy item within one grid step, another block within the free time plus one.
        var previous: (end: Int64, what: String, isBlock: Bool)?
        for item in technician.busy
        where item.blocks(blockOnFreeExternalAppointments: settings.blockOnFreeExternalAppointments)
            && item.end.millisecondsSinceEpoch <= start && start - item.end.millisecondsSinceEpoch < grid
        {
            if previous.map({ item.end.millisecondsSinceEpoch > $0.end }) ?? true {
                previous = (item.end.millisecondsSinceEpoch, name(of: item), false)
            }
        }
        for other in plan.calendar
        where other != block && other.end.millisecondsSinceEpoch <= start
            && start - other.end.millisecondsSinceEpoch < gap + grid
        {
            if previous.map({ other.end.millisecondsSinceEpoch > $0.end }) ?? true {
                let position = plan.workboard.first { $0.activityId == other.activityId }?.position
                let what = "the block of \(other.activityId)" + (position.map { " (position \($0))" } ?? "")
                previous = (other.end.millisecondsSinceEpoch, what, true)
            }
        }
        if let previous {
            let kept =
                previous.isBlock && gap > 0
                ? ", keeping \(settings.minMinutesFreeBetweenActivities) minutes free between activities" : ""
            let ends = time(Instant(millisecondsSinceEpoch: previous.end))
            return "Pushed by \(previous.what), which ends at \(ends)\(kept)."
        }
        if let shift = shifts.last(where: { $0.start <= start }), start - shift.start < grid {
            return "It starts when working hours begin, at \(time(block.start))."
        }
        if start >= now.millisecondsSinceEpoch && start - now.millisecondsSinceEpoch < grid {
            return "It starts as soon as possible: now, on the \(settings.alignmentMinutes)-minute grid."
        }
        if kept {
            return "It stays where it already is on the calendar: Liftoff moves a block only when it must, and "
                + "this one is at most \(settings.reflowToleranceMinutes) minutes later than the earliest time it "
                + "could take."
        }
        return "Earlier free windows were too short for this block or would break the free-time rule; "
            + "this is the first that fits."
    }

    /// "the appointment “Weekly sync”": what a dispatcher recognises on the calendar.
    static func name(of item: BusyItem) -> String {
        label(of: item.kind) + (item.title.map { " “\($0)”" } ?? "")
    }

    private static func label(of kind: BusyItem.Kind) -> String {
        switch kind {
        case .external: return "the appointment"
        case .imported: return "the imported service call"
        case .fixed: return "the fixed appointment"
        case .timeOff: return "time off"
        }
    }
}

extension CalendarInsight.Explainer {
    /// Why this block comes before one that stands higher in Workboard order, which surprises a
    /// dispatcher more than anything else on the calendar: the higher one did not fit in the time
    /// from here to the next appointment (or the end of working hours), or it sleeps until later.
    /// Nil when no higher-placed activity starts later.
    func overtakingReason(of block: CalendarBlock, position: Int) -> String? {
        guard block.part == 1 else { return nil }
        let positions = Dictionary(
            plan.workboard.map { ($0.activityId, $0.position) }, uniquingKeysWith: { first, _ in first })
        let later = plan.calendar.filter {
            $0.part == 1 && $0.start > block.start && (positions[$0.activityId] ?? .max) < position
        }
        guard let higher = later.min(by: { positions[$0.activityId]! < positions[$1.activityId]! }),
            let higherPosition = positions[higher.activityId]
        else { return nil }
        let opening =
            "It comes before position \(higherPosition) (\(higher.activityId)), which stands higher but starts "
            + "later, at \(time(higher.start))"
        let higherActivity = technician.nextActivities.first { $0.id == higher.activityId }
        if let sleep = higherActivity?.sleepUntil, sleep > block.start {
            return opening + ": it sleeps until \(time(sleep))."
        }
        let start = block.start.millisecondsSinceEpoch
        // The time this block took: from its start to the next thing that blocks work.
        var obstacle: (at: Int64, what: String)?
        if let shift = shifts.first(where: { $0.start <= start && start < $0.end }) {
            obstacle = (shift.end, "the end of working hours")
        }
        for item in technician.busy
        where item.blocks(blockOnFreeExternalAppointments: settings.blockOnFreeExternalAppointments)
            && item.start.millisecondsSinceEpoch >= block.end.millisecondsSinceEpoch
            && item.start.millisecondsSinceEpoch < (obstacle?.at ?? .max)
        {
            obstacle = (item.start.millisecondsSinceEpoch, CalendarInsight.name(of: item))
        }
        let needed = Int((higher.end.millisecondsSinceEpoch - higher.start.millisecondsSinceEpoch) / 60_000)
        guard let obstacle else { return opening + "." }
        let window = Int((obstacle.at - start) / 60_000)
        let gap = settings.minMinutesFreeBetweenActivities
        let kept = gap > 0 ? " with the \(gap) minutes kept free between activities" : ""
        guard needed + (gap > 0 ? gap : 0) > window || needed > window else {
            return opening + "."
        }
        return opening + ": its \(needed) minutes did not fit\(kept) in the \(window) minutes from "
            + "\(time(block.start)) to \(obstacle.what) at \(time(Instant(millisecondsSinceEpoch: obstacle.at))); "
            + "this shorter block did."
    }
}
