/// One technician's time, prepared for planning: shifts as instants, blocking items merged, and the
/// settings in force, all over `[now, horizonEnd)`.
///
/// Built once per technician per run; the work plan and the calendar plan both read it.
struct TechnicianCalendar {
    let now: Int64
    let horizonEnd: Int64
    let settings: Settings
    let timeline: ZoneTimeline
    /// Shifts as UTC spans, sorted and disjoint.
    let shifts: [Span]
    /// Every blocking busy item, merged into sorted disjoint spans.
    let blocking: [Span]

    init(technician: Technician, now: Instant, settings: Settings, timeline: ZoneTimeline) {
        self.now = now.millisecondsSinceEpoch
        self.horizonEnd = self.now + Int64(settings.horizonDays) * Milliseconds.perDay
        self.settings = settings
        self.timeline = timeline
        self.shifts = technician.workSchedule.shiftIntervals(
            from: self.now - Milliseconds.perDay, to: horizonEnd, in: timeline)
        self.blocking = technician.busy
            .filter { $0.blocks(blockOnFreeExternalAppointments: settings.blockOnFreeExternalAppointments) }
            .map { Span(start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch) }
            .merged()
    }

    /// Work time — inside a shift and clear of blocking items — within `window`, in order.
    func workTime(within window: Span) -> [Span] {
        var result: [Span] = []
        var shiftIndex = shifts.firstIndex(endingAfter: window.start)
        while shiftIndex < shifts.count && shifts[shiftIndex].start < window.end {
            let shift = shifts[shiftIndex]
            forEachFreeStretch(
                in: Span(start: max(shift.start, window.start), end: min(shift.end, window.end))
            ) { stretch in
                result.append(stretch)
                return true
            }
            shiftIndex += 1
        }
        return result
    }

    /// Calls `body` with each stretch of `span` clear of blocking items, in order, until it returns false.
    func forEachFreeStretch(in span: Span, _ body: (Span) -> Bool) {
        var cursor = span.start
        var index = blocking.firstIndex(endingAfter: cursor)
        while cursor < span.end {
            let nextBlockStart = index < blocking.count ? blocking[index].start : Int64.max
            if nextBlockStart > cursor {
                let stretch = Span(start: cursor, end: min(span.end, nextBlockStart))
                if !body(stretch) { return }
            }
            guard index < blocking.count else { return }
            cursor = max(cursor, blocking[index].end)
            index += 1
        }
    }
}
