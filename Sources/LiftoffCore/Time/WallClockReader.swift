import Foundation

/// Reads instants as a person in one time zone sees them — "Mon 30 Nov 09:00", the minute of the
/// day, the date — for pages and explanations. Answered from a ``ZoneTimeline`` over a window, which
/// costs a table lookup where a `DateFormatter` costs microseconds per reading: a calendar of fifty
/// technicians reads thousands of times. Instants outside the window ask the zone directly.
public struct WallClockReader: Sendable {
    public let timeZone: TimeZone
    private let timeline: ZoneTimeline
    private let window: ClosedRange<Int64>

    public init(timeZone: TimeZone, from: Instant, to: Instant) {
        self.init(
            timeZone: timeZone, timeline: ZoneTimeline(timeZone: timeZone, from: from, to: to), from: from, to: to)
    }

    /// With a timeline already read for `[from, to]`.
    init(timeZone: TimeZone, timeline: ZoneTimeline, from: Instant, to: Instant) {
        self.timeZone = timeZone
        self.timeline = timeline
        window = from.millisecondsSinceEpoch...max(from.millisecondsSinceEpoch, to.millisecondsSinceEpoch)
    }

    /// Local milliseconds since the epoch (the wall clock read as if it were UTC).
    public func local(_ instant: Instant) -> Int64 {
        let milliseconds = instant.millisecondsSinceEpoch
        if window.contains(milliseconds) { return timeline.local(at: milliseconds) }
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return milliseconds + Int64(timeZone.secondsFromGMT(for: date)) * Milliseconds.perSecond
    }

    public func date(_ instant: Instant) -> LocalDate {
        LocalDate(daysSinceEpoch: local(instant).floorDivided(by: Milliseconds.perDay))
    }

    /// Minutes since local midnight, 0…1439.
    public func minuteOfDay(_ instant: Instant) -> Int {
        let local = local(instant)
        return Int((local - local.floorDivided(by: Milliseconds.perDay) * Milliseconds.perDay) / Milliseconds.perMinute)
    }

    /// "09:00".
    public func clock(_ instant: Instant) -> String {
        let minute = minuteOfDay(instant)
        return Self.twoDigits(minute / 60) + ":" + Self.twoDigits(minute % 60)
    }

    /// "Mon 30 Nov" (English names, as the rest of the pages).
    public func day(_ instant: Instant) -> String {
        let date = date(instant)
        let parts = date.components
        return "\(Self.weekdayNames[date.weekday] ?? "") \(parts.day) \(Self.monthNames[parts.month - 1])"
    }

    /// "Mon 30 Nov 09:00".
    public func dayAndClock(_ instant: Instant) -> String {
        day(instant) + " " + clock(instant)
    }

    private static let weekdayNames: [Weekday: String] = [
        .mon: "Mon", .tue: "Tue", .wed: "Wed", .thu: "Thu", .fri: "Fri", .sat: "Sat", .sun: "Sun",
    ]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
