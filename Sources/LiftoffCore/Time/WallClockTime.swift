/// A time of day on a wall clock, `00:00` to `24:00`, with no date and no zone.
///
/// Working hours are stored this way so that 08:00–17:00 stays 08:00–17:00 across daylight-saving
/// changes; ``ZoneTimeline`` turns it into an instant for a given date.
public struct WallClockTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Minutes since midnight, 0…1440 (1440 is `24:00`, the end of the day).
    public let minutesSinceMidnight: Int

    public init?(minutesSinceMidnight: Int) {
        guard (0...1440).contains(minutesSinceMidnight) else { return nil }
        self.minutesSinceMidnight = minutesSinceMidnight
    }

    /// Reads `HH:MM` with two digits each; `24:00` is the only time past `23:59`.
    public init?(_ text: String) {
        var text = text
        let minutes: Int? = text.withUTF8 { bytes in
            var reader = DigitReader(bytes: bytes)
            guard let hour = reader.number(digits: 2), reader.expect(UInt8(ascii: ":")),
                let minute = reader.number(digits: 2), reader.atEnd, minute <= 59,
                hour <= 23 || (hour == 24 && minute == 0)
            else { return nil }
            return hour * 60 + minute
        }
        guard let minutes else { return nil }
        minutesSinceMidnight = minutes
    }

    public static func < (lhs: WallClockTime, rhs: WallClockTime) -> Bool {
        lhs.minutesSinceMidnight < rhs.minutesSinceMidnight
    }

    public var description: String {
        let hours = minutesSinceMidnight / 60
        let minutes = minutesSinceMidnight % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }
}
