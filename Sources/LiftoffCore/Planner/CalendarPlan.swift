/// The calendar plan: where each activity's blocks go on the PSA calendar, and so which service
/// calls Liftoff writes.
///
/// Blocks are placed one at a time — activities in Workboard order, an activity's blocks in order —
/// each at the earliest aligned start inside one shift that overlaps nothing and keeps the free time
/// `docs/scheduling.md` asks for on both sides. Higher work claims the earliest time it can use, and
/// lower work takes the earliest time left, including holes a longer block could not use.
///
/// Given the blocks now on the PSA calendar (`current`), an activity's blocks stay where they are
/// while every rule still allows them and the first starts at most `reflowToleranceMinutes` later
/// than it could (*A calm calendar*): every move is a write to the PSA and a change in Outlook.
struct CalendarPlan {
    private(set) var blocks: [CalendarBlock] = []
    private(set) var unscheduled: [UnscheduledActivity] = []

    private let calendar: TechnicianCalendar
    private let gaps: GapRule
    /// Blocking items and started blocks merged: what a new block must not overlap.
    private var obstacles: [Span]
    /// Blocks placed so far, except started ones; disjoint and sorted.
    private var placed: [Span] = []
    /// Every NA block (started ones too), sorted by start and by end, to find a block's neighbours.
    private var neighbourStarts: [Span] = []
    private var neighbourEnds: [Int64] = []
    /// What earlier searches learnt, per block length: no start in `[notBefore, start)` is allowed
    /// (none at all from `notBefore` on when `start` is nil). Placing blocks only takes time away, so
    /// this stays true until a block is taken back, and later searches skip the known-bad stretch.
    private var knownUnavailable: [Int64: (notBefore: Int64, start: Int64?)] = [:]

    /// The blocks on the PSA calendar now, by activity, in part order.
    private let current: [String: [CurrentBlock]]
    /// Current blocks under way, held in `placed` and the neighbour lists until their activity's
    /// turn, so that work placed before it goes around them (rule 2 of *A calm calendar*).
    private var held: [String: [Span]] = [:]

    init(ordered: [NextActivity], calendar: TechnicianCalendar, current: [CurrentBlock] = []) {
        self.calendar = calendar
        self.current = Dictionary(grouping: current, by: \.activityId).mapValues { $0.sorted { $0.part < $1.part } }
        self.gaps = GapRule(calendar: calendar)
        self.obstacles = calendar.blocking
        let now = calendar.now
        var startedSpans: [Span] = []
        for activity in ordered {
            guard let startedAt = activity.startedAt?.millisecondsSinceEpoch else { continue }
            let span = Span(
                start: startedAt,
                end: max(now, startedAt + Int64(activity.durationMinutes) * Milliseconds.perMinute))
            startedSpans.append(span)
            record(span, activity: activity, part: 1, parts: 1, started: true)
        }
        obstacles = (calendar.blocking + startedSpans).merged()
        holdBlocksUnderWay(ordered.filter { $0.startedAt == nil })
        for activity in ordered where activity.startedAt == nil {
            place(activity)
        }
        blocks.sort { lhs, rhs in
            if lhs.start != rhs.start { return lhs.start < rhs.start }
            if lhs.activityId != rhs.activityId {
                return lhs.activityId.utf8.lexicographicallyPrecedes(rhs.activityId.utf8)
            }
            return lhs.part < rhs.part
        }
    }

    private mutating func record(_ span: Span, activity: NextActivity, part: Int, parts: Int, started: Bool) {
        blocks.append(
            CalendarBlock(
                activityId: activity.id, start: Instant(millisecondsSinceEpoch: span.start),
                end: Instant(millisecondsSinceEpoch: span.end), part: part, parts: parts))
        if !started { placed.insert(span, at: placed.firstIndex(startingAtOrAfter: span.start)) }
        neighbourStarts.insert(span, at: neighbourStarts.firstIndex(startingAtOrAfter: span.start))
        neighbourEnds.insertSorted(span.end)
    }

    /// Takes back the blocks of an activity that did not fit, in one pass over each list, so that
    /// even an activity of half a million one-minute blocks is undone in linear time.
    private mutating func unrecord(_ spans: [Span]) {
        knownUnavailable.removeAll()
        let removed = Set(spans)
        placed.removeAll { removed.contains($0) }
        neighbourStarts.removeAll { removed.contains($0) }
        var endsToRemove = Dictionary(spans.map { ($0.end, 1) }, uniquingKeysWith: +)
        neighbourEnds.removeAll { end in
            guard let count = endsToRemove[end], count > 0 else { return false }
            endsToRemove[end] = count - 1
            return true
        }
        blocks.removeLast(spans.count)
    }

    /// Holds the current blocks of each unstarted activity whose first block is under way
    /// (`start <= now < end`) and that may all stay, in Workboard order, before anything is placed.
    ///
    /// Rule 2 of *A calm calendar*: the technician may be on such a block without having pressed
    /// Start, and only something blocking — a meeting, a started activity — ends it. Held, its
    /// activity's blocks are obstacles to higher work placed by the earliest-start rule, which goes
    /// around them and keeps the free time the gap rule asks for next to them; at the activity's own
    /// turn they are let go and rule 1 keeps them (nothing placed since can have spoilt them).
    private mutating func holdBlocksUnderWay(_ unstarted: [NextActivity]) {
        let now = calendar.now
        for activity in unstarted {
            guard let spans = currentSpans(of: activity), spans[0].start <= now, now < spans[0].end else { continue }
            var holding: [Span] = []
            for (index, span) in spans.enumerated() {
                let afterPrevious = index == 0 || span.start >= spans[index - 1].end
                guard afterPrevious, mayStay(span, sleepUntil: activity.sleepUntil?.millisecondsSinceEpoch) else {
                    break
                }
                placed.insert(span, at: placed.firstIndex(startingAtOrAfter: span.start))
                neighbourStarts.insert(span, at: neighbourStarts.firstIndex(startingAtOrAfter: span.start))
                neighbourEnds.insertSorted(span.end)
                holding.append(span)
            }
            held[activity.id] = holding
            if holding.count < spans.count { release(heldFor: activity.id) }
        }
    }

    /// Lets go of the blocks held for `activityId`, if any, before its activity is placed.
    private mutating func release(heldFor activityId: String) {
        guard let spans = held.removeValue(forKey: activityId) else { return }
        knownUnavailable.removeAll()
        for span in spans {
            if let index = placed.firstIndex(of: span) { placed.remove(at: index) }
            if let index = neighbourStarts.firstIndex(of: span) { neighbourStarts.remove(at: index) }
            neighbourEnds.removeSorted(span.end)
        }
    }

    /// The activity's current blocks as spans when they are cut as the calendar plan would cut it
    /// now (same number of blocks, same lengths, parts 1…n); nil otherwise.
    private func currentSpans(of activity: NextActivity) -> [Span]? {
        let maxBlock = calendar.settings.maxBlockMinutes
        let parts = (activity.durationMinutes + maxBlock - 1) / maxBlock
        guard let current = current[activity.id], current.count == parts else { return nil }
        let spans = current.map { Span(start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch) }
        for (index, (block, span)) in zip(current, spans).enumerated() {
            let minutes = index + 1 < parts ? maxBlock : activity.durationMinutes - maxBlock * (parts - 1)
            guard block.part == index + 1, span.length == Int64(minutes) * Milliseconds.perMinute else { return nil }
        }
        return spans
    }

    /// Places every block of `activity`, or none of them: where they are now when they may stay,
    /// else each at its earliest start.
    private mutating func place(_ activity: NextActivity) {
        release(heldFor: activity.id)
        let maxBlock = calendar.settings.maxBlockMinutes
        let parts = (activity.durationMinutes + maxBlock - 1) / maxBlock
        func minutes(ofPart part: Int) -> Int {
            part < parts ? maxBlock : activity.durationMinutes - maxBlock * (parts - 1)
        }
        if keepCurrentBlocks(of: activity, parts: parts) { return }
        var earliest = max(calendar.now, activity.sleepUntil?.millisecondsSinceEpoch ?? calendar.now)
        var kept: [Span] = []
        for part in 1...parts {
            let minutes = minutes(ofPart: part)
            let length = Int64(minutes) * Milliseconds.perMinute
            guard let start = earliestAvailableStart(length: length, notBefore: earliest) else {
                unrecord(kept)
                unscheduled.append(
                    UnscheduledActivity(
                        activityId: activity.id,
                        reason: reason(
                            activity: activity, part: part, parts: parts, minutes: minutes, earliest: earliest)))
                return
            }
            let span = Span(start: start, end: start + length)
            record(span, activity: activity, part: part, parts: parts, started: false)
            kept.append(span)
            earliest = span.end
        }
    }

    /// Records the activity's current blocks as its plan when rule 1 of *A calm calendar* lets them
    /// all stay; otherwise records nothing and answers false.
    private mutating func keepCurrentBlocks(of activity: NextActivity, parts: Int) -> Bool {
        guard let spans = currentSpans(of: activity) else { return false }
        // The first block may stand a little later than the earliest start would put it, no more.
        let notBefore = max(calendar.now, activity.sleepUntil?.millisecondsSinceEpoch ?? calendar.now)
        if spans[0].start > notBefore {
            let tolerance = Int64(calendar.settings.reflowToleranceMinutes) * Milliseconds.perMinute
            guard let earliest = earliestAvailableStart(length: spans[0].length, notBefore: notBefore),
                spans[0].start - earliest <= tolerance
            else { return false }
        }
        var recorded: [Span] = []
        for (index, span) in spans.enumerated() {
            let afterPrevious = index == 0 || span.start >= spans[index - 1].end
            guard afterPrevious, mayStay(span, sleepUntil: activity.sleepUntil?.millisecondsSinceEpoch) else {
                unrecord(recorded)
                return false
            }
            record(span, activity: activity, part: index + 1, parts: parts, started: false)
            recorded.append(span)
        }
        return true
    }

    /// Whether a block already on the calendar satisfies every placement rule towards the blocking
    /// items and the blocks placed before it — except that a block under way (`start <= now < end`)
    /// may have begun before `now`: the technician may be on it without having pressed Start.
    private func mayStay(_ span: Span, sleepUntil: Int64?) -> Bool {
        let now = calendar.now
        let underWay = span.start <= now && now < span.end
        guard span.start >= now || underWay else { return false }
        // Rule 2 waives "at or after now" only: a block never starts before the activity wakes.
        if let sleepUntil, span.start < sleepUntil { return false }
        guard calendar.timeline.alignUp(span.start, stepMinutes: calendar.settings.alignmentMinutes) == span.start,
            span.end <= calendar.horizonEnd
        else { return false }
        let shiftIndex = calendar.shifts.firstIndex(endingAfter: span.start)
        guard shiftIndex < calendar.shifts.count else { return false }
        let shift = calendar.shifts[shiftIndex]
        guard shift.start <= span.start, span.end <= shift.end,
            obstacles.firstOverlap(with: span) == nil, placed.firstOverlap(with: span) == nil
        else { return false }
        if let previousEnd = neighbourEnd(before: span.start, in: shift),
            !gaps.holds(between: previousEnd, and: span.start, in: shift)
        {
            return false
        }
        if let next = neighbour(after: span.end, in: shift), !gaps.holds(between: span.end, and: next.start, in: shift)
        {
            return false
        }
        return true
    }

    /// The earliest start of a block of `length` at or after `notBefore` that every rule allows,
    /// skipping what earlier searches for the same length already ruled out.
    private mutating func earliestAvailableStart(length: Int64, notBefore: Int64) -> Int64? {
        let hint = knownUnavailable[length]
        var from = notBefore
        var extendsHint = false
        if let hint, hint.notBefore <= notBefore {
            guard let start = hint.start else { return nil }
            if notBefore <= start {
                from = start
                extendsHint = true
            }
        }
        let found = earliestStart(length: length, notBefore: from)
        if extendsHint, let hint {
            knownUnavailable[length] = (hint.notBefore, found)
        } else if hint == nil || notBefore < hint!.notBefore {
            knownUnavailable[length] = (notBefore, found)
        }
        return found
    }

    /// The earliest start of a block of `length` at or after `notBefore` that every rule allows.
    private func earliestStart(length: Int64, notBefore: Int64) -> Int64? {
        let alignment = calendar.settings.alignmentMinutes
        var shiftIndex = calendar.shifts.firstIndex(endingAfter: notBefore)
        while shiftIndex < calendar.shifts.count {
            let shift = calendar.shifts[shiftIndex]
            if shift.start >= calendar.horizonEnd { return nil }
            let latestEnd = min(shift.end, calendar.horizonEnd)
            var candidate = calendar.timeline.alignUp(max(notBefore, shift.start), stepMinutes: alignment)
            while candidate + length <= latestEnd {
                let span = Span(start: candidate, end: candidate + length)
                if let obstacle = obstacles.firstOverlap(with: span) ?? placed.firstOverlap(with: span) {
                    candidate = calendar.timeline.alignUp(obstacle.end, stepMinutes: alignment)
                    continue
                }
                if let previousEnd = neighbourEnd(before: candidate, in: shift) {
                    guard let allowed = gaps.earliestStart(after: previousEnd, in: shift) else { break }
                    if candidate < allowed {
                        candidate = calendar.timeline.alignUp(allowed, stepMinutes: alignment)
                        continue
                    }
                }
                if let next = neighbour(after: span.end, in: shift),
                    !gaps.holds(between: span.end, and: next.start, in: shift)
                {
                    candidate = calendar.timeline.alignUp(next.end, stepMinutes: alignment)
                    continue
                }
                return candidate
            }
            shiftIndex += 1
        }
        return nil
    }

    /// The end of the latest NA block of `shift` that ends at or before `instant`.
    private func neighbourEnd(before instant: Int64, in shift: Span) -> Int64? {
        let index = neighbourEnds.firstIndex(greaterThan: instant) - 1
        return index >= 0 && neighbourEnds[index] > shift.start ? neighbourEnds[index] : nil
    }

    /// The first NA block of `shift` that starts at or after `instant`.
    private func neighbour(after instant: Int64, in shift: Span) -> Span? {
        let index = neighbourStarts.firstIndex(startingAtOrAfter: instant)
        return index < neighbourStarts.count && neighbourStarts[index].start < shift.end ? neighbourStarts[index] : nil
    }

    private func reason(activity: NextActivity, part: Int, parts: Int, minutes: Int, earliest: Int64)
        -> UnscheduledReason
    {
        let horizonEnd = Instant(millisecondsSinceEpoch: calendar.horizonEnd)
        if let sleepUntil = activity.sleepUntil, sleepUntil.millisecondsSinceEpoch >= calendar.horizonEnd {
            return .sleepsPastHorizon(sleepUntil: sleepUntil, horizonEnd: horizonEnd)
        }
        let length = Int64(minutes) * Milliseconds.perMinute
        let someShiftIsLongEnough = calendar.shifts.contains { shift in
            let start = calendar.timeline.alignUp(
                max(shift.start, earliest), stepMinutes: calendar.settings.alignmentMinutes)
            return min(shift.end, calendar.horizonEnd) - start >= length
        }
        guard someShiftIsLongEnough else {
            return .noShiftLongEnough(part: part, parts: parts, blockMinutes: minutes, horizonEnd: horizonEnd)
        }
        return .noFreeWindow(
            part: part, parts: parts, blockMinutes: minutes, keepsFreeTime: gaps.isActive, horizonEnd: horizonEnd)
    }
}
