/// The times a customer can book with a technician: pure, from the technician's working hours, what
/// blocks them, the calendar plan's Next Activity blocks and the appointment type's rules
/// (docs/scheduling.md, *Availability*). The booking page, `GET /api/v1/availability` and the
/// server's re-check at booking time all ask this one function, so what is offered is what is kept.
public enum Availability {
    /// One technician as availability sees them.
    public struct Calendar: Sendable {
        public var technician: Technician
        /// The technician's calendar plan: its blocks are what *gaps only* keeps clear of.
        public var plan: TechnicianPlan
        /// Starts of this type's bookings already made for the technician (the daily cap counts them).
        public var booked: [Instant]

        public init(technician: Technician, plan: TechnicianPlan, booked: [Instant] = []) {
            self.technician = technician
            self.plan = plan
            self.booked = booked
        }
    }

    /// Every slot of `type` in `[from, to)` for each of `calendars`, sorted by start, then technician.
    /// A slot is offered when it starts on the type's grid, after the notice and inside the booking
    /// window; lies inside one shift; its buffered span overlaps nothing that blocks and (gaps only) no
    /// Next Activity block; and the technician's bookings of the type that local day are under the cap.
    public static func slots(
        of type: AppointmentType, for calendars: [Calendar], settings: Settings, now: Instant, from: Instant,
        to: Instant
    ) -> [BookingSlot] {
        var slots: [BookingSlot] = []
        for calendar in calendars {
            slots += self.slots(of: type, for: calendar, settings: settings, now: now, from: from, to: to)
        }
        return slots.sorted { ($0.start, $0.technicianId) < ($1.start, $1.technicianId) }
    }

    /// The slots of one technician, in time order.
    public static func slots(
        of type: AppointmentType, for calendar: Calendar, settings: Settings, now: Instant, from: Instant, to: Instant
    ) -> [BookingSlot] {
        guard type.lengthMinutes > 0, type.startIncrementMinutes > 0 else { return [] }
        let technician = calendar.technician
        let siteSettings = settings
        let settings = settings.applying(technician.settings)
        let length = Int64(type.lengthMinutes) * Milliseconds.perMinute
        let before = Int64(max(0, type.bufferBeforeMinutes)) * Milliseconds.perMinute
        let after = Int64(max(0, type.bufferAfterMinutes)) * Milliseconds.perMinute
        let windowEnd = now.millisecondsSinceEpoch + Int64(max(0, type.bookingWindowDays)) * Milliseconds.perDay
        let lastStart = min(to.millisecondsSinceEpoch, windowEnd)
        // The timeline reaches a day past either end: notice in business days looks ahead, buffers back.
        let timeline = ZoneTimeline(
            timeZone: technician.timeZone,
            from: Instant(
                millisecondsSinceEpoch: min(from, now).millisecondsSinceEpoch
                    - Milliseconds.perDay),
            to: Instant(millisecondsSinceEpoch: max(lastStart, now.millisecondsSinceEpoch) + 2 * Milliseconds.perDay))
        let blocking = technician.busy.filter {
            $0.blocks(blockOnFreeExternalAppointments: settings.blockOnFreeExternalAppointments)
        }
        let busy = blocking.map { Span(start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch) }
        let timeOff = blocking.filter { $0.kind == .timeOff }
            .map { Span(start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch) }.merged()
        let blocks = calendar.plan.calendar.map {
            Span(start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch)
        }
        let obstacles = (type.mode == .gapsOnly ? busy + blocks : busy).merged()
        let earliest = max(
            from.millisecondsSinceEpoch,
            Self.earliestStart(
                after: now.millisecondsSinceEpoch, notice: type.notice, schedule: technician.workSchedule,
                timeOff: timeOff, timeline: timeline, limit: lastStart))
        guard earliest < lastStart else { return [] }
        var perDay: [Int64: Int] = [:]
        for start in calendar.booked {
            perDay[Self.localDay(start.millisecondsSinceEpoch, timeline), default: 0] += 1
        }
        let dueDates = DueDateGuard(
            calendar: calendar, siteSettings: siteSettings, now: now, active: type.mode == .flexible)
        let shifts = technician.workSchedule.shiftIntervals(from: earliest, to: lastStart + length, in: timeline)
        var slots: [BookingSlot] = []
        for shift in shifts {
            var start = timeline.alignUp(max(shift.start, earliest), stepMinutes: type.startIncrementMinutes)
            while start < lastStart, start + length <= shift.end {
                let buffered = Span(start: start - before, end: start + length + after)
                if let obstacle = obstacles.firstOverlap(with: buffered) {
                    // Nothing can start before the obstacle ends plus the buffer before.
                    start = timeline.alignUp(
                        max(obstacle.end + before, start + 1), stepMinutes: type.startIncrementMinutes)
                    continue
                }
                if let cap = type.maximumPerDay, perDay[Self.localDay(start, timeline), default: 0] >= cap {
                    start = timeline.alignUp(start + 1, stepMinutes: type.startIncrementMinutes)
                    continue
                }
                if !dueDates.keepsEveryDueDate(with: buffered) {
                    start = timeline.alignUp(start + 1, stepMinutes: type.startIncrementMinutes)
                    continue
                }
                slots.append(
                    BookingSlot(
                        technicianId: technician.id, start: Instant(millisecondsSinceEpoch: start),
                        end: Instant(millisecondsSinceEpoch: start + length)))
                start = timeline.alignUp(start + 1, stepMinutes: type.startIncrementMinutes)
            }
        }
        return slots
    }

    /// When the notice of `type` booked at `now` ends for `technician`: the first instant a slot may
    /// start (and the last a booking starting then may still be cancelled or moved by the customer);
    /// nil when that lies more than a year ahead.
    public static func noticeEnds(of type: AppointmentType, for technician: Technician, now: Instant) -> Instant? {
        let limit = now.millisecondsSinceEpoch + 366 * Milliseconds.perDay
        let timeline = ZoneTimeline(
            timeZone: technician.timeZone,
            from: Instant(millisecondsSinceEpoch: now.millisecondsSinceEpoch - Milliseconds.perDay),
            to: Instant(millisecondsSinceEpoch: limit + 2 * Milliseconds.perDay))
        let timeOff = technician.busy.filter { $0.kind == .timeOff }
            .map { Span(start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch) }.merged()
        let earliest = earliestStart(
            after: now.millisecondsSinceEpoch, notice: type.notice, schedule: technician.workSchedule,
            timeOff: timeOff, timeline: timeline, limit: limit)
        return earliest == Int64.max ? nil : Instant(millisecondsSinceEpoch: earliest)
    }

    /// The local date of `instant`, as days since 1970.
    static func localDay(_ instant: Int64, _ timeline: ZoneTimeline) -> Int64 {
        timeline.local(at: instant).floorDivided(by: Milliseconds.perDay)
    }

    /// The first moment a slot may start: `now` plus the notice, counted as the type says;
    /// `Int64.max` when that lies past `limit` (no slot can start then).
    static func earliestStart(
        after now: Int64, notice: AppointmentType.Notice, schedule: WorkSchedule, timeOff: [Span],
        timeline: ZoneTimeline, limit: Int64
    ) -> Int64 {
        switch notice {
        case .minutes(let minutes):
            return now + Int64(max(0, minutes)) * Milliseconds.perMinute
        case .businessMinutes(let minutes):
            // Walk the working time from now, time off left out, until the minutes are used up.
            var left = Int64(max(0, minutes)) * Milliseconds.perMinute
            if left == 0 { return now }
            var from = now
            while from <= limit {
                let to = from + 7 * Milliseconds.perDay
                // Each shift counted once: clipped to this week's [from, to).
                for shift in schedule.shiftIntervals(from: from, to: to, in: timeline)
                where shift.end > from && shift.start < to {
                    let clipped = Span(start: max(shift.start, from), end: min(shift.end, to))
                    for piece in Self.subtract(timeOff, from: clipped) {
                        if piece.length >= left { return piece.start + left }
                        left -= piece.length
                    }
                }
                from = to
            }
            return Int64.max
        case .businessDays(let days):
            // The start of the n-th working day after today; today counts as day zero.
            let today = localDay(now, timeline)
            var counted = 0
            var day = today
            while counted < max(0, days) {
                day += 1
                let dayStart = timeline.instant(ofLocal: day * Milliseconds.perDay)
                let dayEnd = timeline.instant(ofLocal: (day + 1) * Milliseconds.perDay)
                if dayStart > limit { return Int64.max }
                let working = schedule.shiftIntervals(from: dayStart, to: dayEnd, in: timeline).contains { shift in
                    localDay(shift.start, timeline) == day
                        && !Self.subtract(timeOff, from: Span(start: shift.start, end: shift.end)).isEmpty
                }
                if working { counted += 1 }
            }
            return days <= 0 ? now : timeline.instant(ofLocal: day * Milliseconds.perDay)
        }
    }

    /// `span` less every span of the sorted, disjoint `taken`.
    static func subtract(_ taken: [Span], from span: Span) -> [Span] {
        var pieces: [Span] = []
        var cursor = span.start
        for other in taken where other.end > cursor && other.start < span.end {
            if other.start > cursor { pieces.append(Span(start: cursor, end: other.start)) }
            cursor = max(cursor, other.end)
        }
        if cursor < span.end { pieces.append(Span(start: cursor, end: span.end)) }
        return pieces
    }
}

/// The SLA guard of *flexible* slots: an appointment may take time from Next Activities only where
/// re-planning with it in place makes no activity finish after its due date that finished in time
/// before. Only slots before the last on-time finish of a due-dated activity can change that (work
/// before an appointment is untouched by it), so only those are re-planned.
struct DueDateGuard {
    let calendar: Availability.Calendar
    let siteSettings: Settings
    let now: Instant
    /// Activities already late or not finishing within the horizon: they cannot be made "newly" late.
    let atRiskBefore: Set<String>
    /// The latest work-plan finish of a due-dated activity that is on time; nil when the guard is off
    /// or nothing is on time against a due date.
    let lastOnTimeFinish: Int64?

    init(calendar: Availability.Calendar, siteSettings: Settings, now: Instant, active: Bool) {
        self.calendar = calendar
        self.siteSettings = siteSettings
        self.now = now
        let workboard = calendar.plan.workboard
        atRiskBefore = Set(workboard.filter(\.atRisk).map(\.activityId))
        lastOnTimeFinish =
            active
            ? workboard.filter { !$0.atRisk && $0.dueDateTime != nil }
                .compactMap { $0.estimatedFinish?.millisecondsSinceEpoch }.max() : nil
    }

    /// Whether booking `span` (buffers included) leaves every on-time activity on time.
    func keepsEveryDueDate(with span: Span) -> Bool {
        guard let last = lastOnTimeFinish, span.start < last else { return true }
        var technician = calendar.technician
        technician.busy.append(
            BusyItem(
                kind: .fixed, start: Instant(millisecondsSinceEpoch: span.start),
                end: Instant(millisecondsSinceEpoch: span.end), status: .open))
        let replanned = Planner.plan(PlanningProblem(now: now, settings: siteSettings, technicians: [technician]))
        let atRiskAfter = replanned.technicians.first?.workboard.filter(\.atRisk).map(\.activityId) ?? []
        return Set(atRiskAfter).isSubset(of: atRiskBefore)
    }
}
