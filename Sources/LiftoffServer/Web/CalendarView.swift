import Foundation
import LiftoffCore
import Vapor

/// The dispatcher calendar over one day or one week: every technician's blocks, fixed, imported and
/// external items, time off and the free time between them. Each row covers the same dates in the
/// technician's own time zone, so working hours line up however far apart the team is.
struct CalendarView: Content {
    struct Item: Content {
        /// `activity`, `fixed`, `imported`, `external`, `timeOff` or `free`.
        var kind: String
        var start: String
        var end: String
        var title: String
        var timeText: String
        /// Where the item sits in the row, in percent of the row's time range.
        var left: Double
        var width: Double
        var activityId: String?
        var ticketId: Int?
        var position: Int?
        var part: Int?
        var parts: Int?
        var atRisk: Bool?
        /// Why the block is there: its Workboard position and what pushed it.
        var explanation: String?
    }

    struct Day: Content {
        var label: String
        var left: Double
        var width: Double
        /// Why nobody can book this technician this day, in words: "Holiday: Labor Day", "Time off:
        /// Vacation", "No shifts". Nil on a working day.
        var note: String? = nil
        /// `holiday`, `time-off` or `no-shifts` with a note.
        var off: String? = nil
        /// The day at a glance, for the week view where blocks are too narrow to read: "5 h 30 min
        /// booked · 2 h free · 1 at risk". Nil on a day off.
        var summary: String? = nil
    }

    struct Row: Content {
        var id: Int
        var name: String
        var timeZone: String
        /// Why this technician's times are not written (and are empty), or nil.
        var attention: String?
        /// The next row's technician, for the "skip to the next technician" link that saves a
        /// keyboard user tabbing through every block of this row.
        var nextId: Int? = nil
        var rangeStart: String
        var rangeEnd: String
        var days: [Day]
        var items: [Item]
    }

    var start: String
    var days: Int
    /// The hours of each day shown, in local wall-clock minutes: working hours of the whole team
    /// with an hour either side, so the nights do not take two thirds of the width.
    var visibleFromMinute: Int
    var visibleToMinute: Int
    /// Hour marks along the top in the day view.
    var hours: [Day]
    var now: String
    var planVersion: String
    var technicians: [Row]

    /// The calendar from local date `start` for `days` days; `only` limits it to one technician.
    static func make(snapshot: PlanSnapshot, start: LocalDate, days: Int, only: Int?) -> CalendarView {
        let now = CalendarReflowJob.instant(snapshot.madeAt)
        let window = visibleWindow(snapshot: snapshot, start: start, days: days, only: only)
        var rows: [Row] = []
        for (index, record) in snapshot.technicians.enumerated() where only == nil || only == record.resourceID {
            let technician = snapshot.problem.technicians[index]
            let plan = snapshot.answer.technicians[index]
            let settings = snapshot.problem.settings.applying(technician.settings)
            let zone = technician.timeZone
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            guard let (from, to) = rowRange(start: start, days: days, in: calendar) else { continue }
            let format = DisplayTime(timeZone: zone, now: snapshot.madeAt, from: from, to: to)
            var dayStarts: [Date] = [from]
            while let last = dayStarts.last, last < to, let next = calendar.date(byAdding: .day, value: 1, to: last) {
                dayStarts.append(next)
            }
            let visible = Double(window.to - window.from)
            /// Percent of the row at `date`: whole days side by side, each showing the visible hours.
            func position(_ date: Date) -> Double {
                if date <= from { return 0 }
                if date >= to { return 100 }
                let instant = CalendarReflowJob.instant(date)
                let day = max(0, Int(format.reader.date(instant).daysSinceEpoch - start.daysSinceEpoch))
                let minute = Double(format.reader.minuteOfDay(instant))
                let within = min(max((minute - Double(window.from)) / visible, 0), 1)
                return (Double(day) + within) / Double(days) * 100
            }
            func place(_ itemStart: Date, _ itemEnd: Date) -> (Double, Double) {
                let left = position(itemStart)
                let right = position(itemEnd)
                return ((left * 1000).rounded() / 1000, (max(0, right - left) * 1000).rounded() / 1000)
            }
            var items: [Item] = []
            for item in snapshot.busy[record.resourceID] ?? [] where item.end > from && item.start < to {
                let (left, width) = place(item.start, item.end)
                if width == 0 { continue }
                items.append(
                    Item(
                        kind: item.kind, start: AutotaskDateText.instant(item.start),
                        end: AutotaskDateText.instant(item.end),
                        title: item.title ?? Self.defaultTitle(item.kind), timeText: format.range(item.start, item.end),
                        left: left, width: width,
                        explanation: Self.explanation(
                            kind: item.kind, title: item.title ?? Self.defaultTitle(item.kind),
                            timeText: format.range(item.start, item.end), minFree: 0)))
            }
            let explainer = CalendarInsight.Explainer(technician: technician, plan: plan, settings: settings, now: now)
            let positions = Dictionary(
                plan.workboard.map { ($0.activityId, $0) }, uniquingKeysWith: { first, _ in first })
            var booked: [(start: Date, end: Date, activityId: String, atRisk: Bool)] = []
            var freeSpans: [(start: Date, end: Date)] = []
            for block in plan.calendar where block.end.date > from && block.start.date < to {
                booked.append(
                    (block.start.date, block.end.date, block.activityId, positions[block.activityId]?.atRisk ?? false))
                let (left, width) = place(block.start.date, block.end.date)
                let activity = snapshot.activities[block.activityId]
                let ticket = activity.flatMap { snapshot.tickets[$0.ticketID] }
                items.append(
                    Item(
                        kind: "activity", start: AutotaskDateText.instant(block.start.date),
                        end: AutotaskDateText.instant(block.end.date),
                        title: ticket.map { "\($0.number) \($0.title)" } ?? block.activityId,
                        timeText: format.range(block.start.date, block.end.date), left: left, width: width,
                        activityId: block.activityId, ticketId: activity?.ticketID,
                        position: positions[block.activityId]?.position, part: block.part, parts: block.parts,
                        atRisk: positions[block.activityId]?.atRisk ?? false, explanation: explainer.explain(block)))
            }
            for free in CalendarInsight.freeTime(
                technician: technician, plan: plan, settings: settings, from: CalendarReflowJob.instant(from),
                to: CalendarReflowJob.instant(to), now: now)
            {
                let (left, width) = place(free.start.date, free.end.date)
                let minutes = (free.end.millisecondsSinceEpoch - free.start.millisecondsSinceEpoch) / 60_000
                // Slivers before an aligned start are not time anyone could book.
                if minutes < 5 { continue }
                freeSpans.append((free.start.date, free.end.date))
                items.append(
                    Item(
                        kind: "free", start: AutotaskDateText.instant(free.start.date),
                        end: AutotaskDateText.instant(free.end.date), title: "Free (\(minutes) min)",
                        timeText: format.range(free.start.date, free.end.date), left: left, width: width,
                        explanation: Self.explanation(
                            kind: "free", title: "Free (\(minutes) min)",
                            timeText: format.range(free.start.date, free.end.date),
                            minFree: settings.minMinutesFreeBetweenActivities)))
            }
            items.sort { ($0.start, $0.kind) < ($1.start, $1.kind) }
            let dayLabel = DateFormatter()
            dayLabel.locale = Locale(identifier: "en_GB")
            dayLabel.timeZone = zone
            dayLabel.dateFormat = days == 1 ? "EEEE d MMMM" : "EEE d"
            let dayColumns = (0..<days).map { day in
                let (off, note) =
                    record.attention == nil
                    ? Self.dayOff(
                        start.adding(days: Int64(day)), technician: technician, record: record,
                        from: dayStarts[min(day, dayStarts.count - 1)],
                        to: day + 1 < dayStarts.count ? dayStarts[day + 1] : to,
                        busy: snapshot.busy[record.resourceID] ?? [])
                    : (nil, nil)
                let dayFrom = dayStarts[min(day, dayStarts.count - 1)]
                let dayTo = day + 1 < dayStarts.count ? dayStarts[day + 1] : to
                return Day(
                    label: dayLabel.string(from: dayFrom),
                    left: (Double(day) / Double(days) * 100_000).rounded() / 1000,
                    width: (100_000 / Double(days)).rounded() / 1000, note: note, off: off,
                    summary: off == nil && record.attention == nil
                        ? Self.summary(from: dayFrom, to: dayTo, booked: booked, free: freeSpans) : nil)
            }
            rows.append(
                Row(
                    id: record.resourceID, name: record.name, timeZone: record.timeZone,
                    attention: record.attention, rangeStart: AutotaskDateText.instant(from),
                    rangeEnd: AutotaskDateText.instant(to),
                    days: dayColumns, items: items))
        }
        for index in rows.indices.dropLast() { rows[index].nextId = rows[index + 1].id }
        return CalendarView(
            start: start.description, days: days, visibleFromMinute: window.from, visibleToMinute: window.to,
            hours: days == 1
                ? stride(from: window.from, to: window.to, by: 60).map { minute in
                    Day(
                        label: String(format: "%02d:00", minute / 60),
                        left: (Double(minute - window.from) / Double(window.to - window.from) * 100_000).rounded()
                            / 1000,
                        width: (60 / Double(window.to - window.from) * 100_000).rounded() / 1000)
                } : [],
            now: AutotaskDateText.instant(snapshot.madeAt),
            planVersion: snapshot.version, technicians: rows)
    }

    /// "5 h 30 min booked · 2 h free · 1 at risk" for one local day (parts of items that cross
    /// midnight count on each side).
    static func summary(
        from: Date, to: Date, booked: [(start: Date, end: Date, activityId: String, atRisk: Bool)],
        free: [(start: Date, end: Date)]
    ) -> String {
        func minutes(_ start: Date, _ end: Date) -> Int64 {
            Int64(max(0, min(end, to).timeIntervalSince(max(start, from))) / 60)
        }
        let bookedMinutes = booked.reduce(Int64(0)) { $0 + minutes($1.start, $1.end) }
        let freeMinutes = free.reduce(Int64(0)) { $0 + minutes($1.start, $1.end) }
        let atRisk = Set(booked.filter { $0.atRisk && minutes($0.start, $0.end) > 0 }.map(\.activityId)).count
        var parts = [
            bookedMinutes > 0 ? "\(DueDateRisk.span(bookedMinutes)) booked" : "nothing booked",
            freeMinutes > 0 ? "\(DueDateRisk.span(freeMinutes)) free" : "no free time",
        ]
        if atRisk > 0 { parts.append("\(atRisk) at risk") }
        return parts.joined(separator: " · ")
    }

    /// Why a local day has no bookable time, so it does not look like missing data: a holiday (with
    /// its name), time off covering every shift (with its title), or no shifts at all that weekday.
    static func dayOff(
        _ date: LocalDate, technician: Technician, record: PlanSnapshot.TechnicianRecordValue, from: Date, to: Date,
        busy: [PlanSnapshot.BusyValue]
    ) -> (off: String?, note: String?) {
        if technician.workSchedule.shifts(on: date).isEmpty {
            if let name = record.holidayNames[date.description] {
                return ("holiday", name == "Holiday" ? "Holiday" : "Holiday: \(name)")
            }
            return ("no-shifts", "No shifts")
        }
        let shifts = CalendarInsight.workingTime(
            technician: technician, from: CalendarReflowJob.instant(from), to: CalendarReflowJob.instant(to))
        let timeOff = busy.filter { $0.kind == "timeOff" && $0.start < to && $0.end > from }
        guard !shifts.isEmpty, !timeOff.isEmpty else { return (nil, nil) }
        let covered = shifts.allSatisfy { shift in
            // Covered when the time off, merged in order, leaves no minute of the shift open.
            var reached = shift.start.date
            for item in timeOff.sorted(by: { $0.start < $1.start }) where item.start <= reached {
                reached = max(reached, item.end)
            }
            return reached >= shift.end.date
        }
        guard covered else { return (nil, nil) }
        let titles = Array(Set(timeOff.compactMap(\.title))).sorted()
        return ("time-off", titles.isEmpty ? "Time off" : "Time off: " + titles.joined(separator: ", "))
    }

    /// Local midnight of `start` to local midnight `days` later, in the calendar's time zone.
    static func rowRange(start: LocalDate, days: Int, in calendar: Calendar) -> (Date, Date)? {
        let parts = start.components
        guard let from = calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day)),
            let to = calendar.date(byAdding: .day, value: days, to: from)
        else { return nil }
        return (from, to)
    }

    /// The earliest shift start and latest shift end of the shown technicians, in local minutes,
    /// widened by an hour and rounded to hours; 07:00–19:00 when nobody works in the range.
    static func visibleWindow(snapshot: PlanSnapshot, start: LocalDate, days: Int, only: Int?) -> (from: Int, to: Int) {
        var earliest = 24 * 60
        var latest = 0
        for (index, record) in snapshot.technicians.enumerated() where only == nil || only == record.resourceID {
            let technician = snapshot.problem.technicians[index]
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = technician.timeZone
            guard let (from, to) = rowRange(start: start, days: days, in: calendar) else { continue }
            let reader = WallClockReader(
                timeZone: technician.timeZone, from: CalendarReflowJob.instant(from),
                to: CalendarReflowJob.instant(to))
            for shift in CalendarInsight.workingTime(
                technician: technician, from: CalendarReflowJob.instant(from), to: CalendarReflowJob.instant(to))
            {
                let startMinute = reader.minuteOfDay(shift.start)
                var endMinute = reader.minuteOfDay(shift.end)
                if endMinute <= startMinute { endMinute = 24 * 60 }
                earliest = min(earliest, startMinute)
                latest = max(latest, endMinute)
            }
        }
        guard earliest < latest else { return (7 * 60, 19 * 60) }
        return (max(0, (earliest / 60 - 1) * 60), min(24 * 60, ((latest + 59) / 60 + 1) * 60))
    }

    /// "Today" for a calendar with no date: the technician's own date, or for the whole team the
    /// earliest of their dates — the westernmost office's, where the working day is still going —
    /// rather than UTC's, which is already tomorrow in the Americas every evening.
    static func today(in snapshot: PlanSnapshot, only: Int?) -> LocalDate {
        var earliest: LocalDate?
        for record in snapshot.technicians where only == nil || only == record.resourceID {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: record.timeZone) ?? .gmt
            let parts = calendar.dateComponents([.year, .month, .day], from: snapshot.madeAt)
            let date = LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            earliest = min(earliest ?? date, date)
        }
        if let earliest { return earliest }
        let parts = Calendar(identifier: .gregorian).dateComponents(in: .gmt, from: snapshot.madeAt)
        return LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// Why an item that is not a Next Activity is on the calendar and what Liftoff does with it: the
    /// same panel as a block's explanation, so every item answers "what is this?" the same way.
    static func explanation(kind: String, title: String, timeText: String, minFree: Int) -> String {
        switch kind {
        case "imported":
            return "\(title), \(timeText): a service call written to Autotask by someone else (TimeZest, a "
                + "dispatcher). Liftoff plans work around it and never moves it."
        case "fixed":
            return "\(title), \(timeText): a fixed appointment with a customer. Liftoff plans work around it; "
                + "the reflow never moves it."
        case "timeOff":
            return "\(title), \(timeText): time off approved in Autotask. No work is planned in it."
        case "free":
            let kept =
                minFree > 0
                ? " Liftoff keeps at least \(minFree) minutes free between activities (Min Minutes Free Between "
                    + "Activities), so gaps like this stay open for bookings." : ""
            return "\(title), \(timeText): working time that no block or appointment takes; a customer or a "
                + "booking tool can book it.\(kept)"
        default:
            return "\(title), \(timeText): an appointment in the technician's Autotask and Outlook calendar, booked "
                + "by hand or through Calendly or FindTime. Liftoff plans work around it and never moves it."
        }
    }

    static func defaultTitle(_ kind: String) -> String {
        switch kind {
        case "imported": return "Service call"
        case "timeOff": return "Time off"
        case "fixed": return "Fixed appointment"
        default: return "Appointment"
        }
    }
}
