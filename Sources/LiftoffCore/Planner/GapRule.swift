/// The free time kept between consecutive NA blocks of a shift, so that outside schedulers can book
/// customer calls into it.
///
/// Two rules, applied together when both are set: *Min Minutes Free Between Activities* asks for that
/// many contiguous minutes of work time between the blocks; a booking profile asks for room for one
/// whole meeting with its buffers, starting on the scheduler's grid. Both only grow as the later
/// block moves later, which lets the calendar plan jump straight to the first start that keeps them.
struct GapRule {
    private let calendar: TechnicianCalendar
    private let minimumFree: Int64
    private let profile: BookingProfile?

    init(calendar: TechnicianCalendar) {
        self.calendar = calendar
        self.minimumFree = Int64(calendar.settings.minMinutesFreeBetweenActivities) * Milliseconds.perMinute
        self.profile = calendar.settings.bookingProfile
    }

    /// Whether any free time is asked for at all.
    var isActive: Bool { minimumFree > 0 || profile != nil }

    /// The earliest start of a block that follows a block ending at `previousEnd` in `shift` and keeps
    /// the free time between them; `nil` when the rest of the shift cannot hold it.
    func earliestStart(after previousEnd: Int64, in shift: Span) -> Int64? {
        let window = Span(start: previousEnd, end: shift.end)
        var earliest = previousEnd
        if minimumFree > 0 {
            var found: Int64?
            calendar.forEachFreeStretch(in: window) { stretch in
                guard stretch.length >= minimumFree else { return true }
                found = stretch.start + minimumFree
                return false
            }
            guard let found else { return nil }
            earliest = max(earliest, found)
        }
        if let profile {
            guard let slot = earliestBookableSlot(in: window, profile: profile) else { return nil }
            earliest = max(
                earliest, slot + Int64(profile.meetingMinutes + profile.bufferAfterMinutes) * Milliseconds.perMinute)
        }
        return earliest
    }

    /// Whether the time between a block ending at `end` and the next starting at `nextStart` keeps
    /// the free time.
    func holds(between end: Int64, and nextStart: Int64, in shift: Span) -> Bool {
        let window = Span(start: end, end: nextStart)
        if minimumFree > 0 {
            var longEnough = false
            calendar.forEachFreeStretch(in: window) { stretch in
                longEnough = stretch.length >= minimumFree
                return !longEnough
            }
            if !longEnough { return false }
        }
        if let profile, earliestBookableSlot(in: window, profile: profile) == nil { return false }
        return true
    }

    /// The earliest meeting start on the profile's grid whose meeting and buffers lie inside `window`
    /// and clear of every blocking item.
    func earliestBookableSlot(in window: Span, profile: BookingProfile) -> Int64? {
        let before = Int64(profile.bufferBeforeMinutes) * Milliseconds.perMinute
        let after = Int64(profile.meetingMinutes + profile.bufferAfterMinutes) * Milliseconds.perMinute
        let grid = profile.startIncrementMinutes
        var start = calendar.timeline.alignUp(window.start + before, stepMinutes: grid)
        while start + after <= window.end {
            if let blocker = calendar.blocking.firstOverlap(with: Span(start: start - before, end: start + after)) {
                start = calendar.timeline.alignUp(blocker.end + before, stepMinutes: grid)
                continue
            }
            return start
        }
        return nil
    }
}
