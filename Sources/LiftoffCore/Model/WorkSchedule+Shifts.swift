extension WorkSchedule {
    /// The shifts touching `[from, to)` as UTC intervals, sorted and disjoint.
    ///
    /// Each wall-clock time becomes an instant by the rules of ``ZoneTimeline``, so a shift lasts the
    /// real time between its two instants: 08:00–17:00 on a spring-forward day lasts eight hours, on
    /// a fall-back day ten. A shift that the change swallows entirely (02:00–02:30 on the day New
    /// York springs forward) is empty and left out. Where a zone's change at midnight would make the
    /// shifts of two dates overlap, the later one starts where the earlier ends.
    func shiftIntervals(from: Int64, to: Int64, in timeline: ZoneTimeline) -> [Span] {
        let firstDay = timeline.local(at: from).floorDivided(by: Milliseconds.perDay) - 1
        let lastDay = timeline.local(at: to).floorDivided(by: Milliseconds.perDay) + 1
        var intervals: [Span] = []
        var day = firstDay
        while day <= lastDay {
            let midnight = day * Milliseconds.perDay
            for shift in shifts(on: LocalDate(daysSinceEpoch: day)) {
                var start = timeline.instant(
                    ofLocal: midnight + Int64(shift.start.minutesSinceMidnight) * Milliseconds.perMinute)
                let end = timeline.instant(
                    ofLocal: midnight + Int64(shift.end.minutesSinceMidnight) * Milliseconds.perMinute)
                if let last = intervals.last, last.end > start { start = last.end }
                if end > start && end > from && start < to {
                    intervals.append(Span(start: start, end: end))
                }
            }
            day += 1
        }
        return intervals
    }
}
