import Foundation

/// Times as a technician reads them, in their own time zone. Made once per technician and page:
/// creating date formatters is the costly part of rendering a calendar.
struct DisplayTime {
    let timeZone: TimeZone
    let now: Date
    private let calendar: Calendar
    private let clockFormat: DateFormatter
    private let dayFormat: DateFormatter

    init(timeZone: TimeZone, now: Date) {
        self.timeZone = timeZone
        self.now = now
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        clockFormat = Self.formatter("HH:mm", timeZone)
        dayFormat = Self.formatter("EEE d MMM ", timeZone)
    }

    private static func formatter(_ pattern: String, _ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter
    }

    func clock(_ date: Date) -> String { clockFormat.string(from: date) }

    /// "Mon 30 Nov 09:00 – 10:30", or "09:00 – 10:30" today.
    func range(_ start: Date, _ end: Date) -> String {
        let day = calendar.isDate(start, inSameDayAs: now) ? "" : dayFormat.string(from: start)
        let endDay = calendar.isDate(start, inSameDayAs: end) ? "" : dayFormat.string(from: end)
        return "\(day)\(clock(start)) – \(endDay)\(clock(end))"
    }

    /// The technician's local day containing `now`, as instants.
    var today: (Date, Date) {
        let start = calendar.startOfDay(for: now)
        return (start, calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400))
    }
}
