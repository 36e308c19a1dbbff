import Foundation
import LiftoffCore

/// Times as a technician reads them, in their own time zone: "Mon 30 Nov 09:00 – 10:30", or
/// "09:00 – 10:30" today. Read through a ``WallClockReader`` over the stretch the page shows, so a
/// calendar of thousands of items formats no dates with `DateFormatter`.
struct DisplayTime {
    let timeZone: TimeZone
    let now: Date
    let reader: WallClockReader
    private let today: LocalDate

    /// For times between `from` and `to` (others are read correctly, just more slowly).
    init(timeZone: TimeZone, now: Date, from: Date, to: Date) {
        self.timeZone = timeZone
        self.now = now
        reader = WallClockReader(
            timeZone: timeZone, from: CalendarReflowJob.instant(from.addingTimeInterval(-86_400)),
            to: CalendarReflowJob.instant(to.addingTimeInterval(86_400)))
        today = reader.date(CalendarReflowJob.instant(now))
    }

    func clock(_ date: Date) -> String { reader.clock(CalendarReflowJob.instant(date)) }

    func range(_ start: Date, _ end: Date) -> String {
        let (from, to) = (CalendarReflowJob.instant(start), CalendarReflowJob.instant(end))
        let startDay = reader.date(from)
        let day = startDay == today ? "" : reader.day(from) + " "
        let endDay = reader.date(to) == startDay ? "" : reader.day(to) + " "
        return "\(day)\(reader.clock(from)) – \(endDay)\(reader.clock(to))"
    }

    /// The technician's local day containing `now`, as instants.
    var todaySpan: (Date, Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.startOfDay(for: now)
        return (start, calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400))
    }
}
