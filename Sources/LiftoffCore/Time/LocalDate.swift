/// A calendar date in a technician's own time zone, such as the `2026-03-10` of a schedule exception.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01; dates compare and step by this number.
    public let daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Reads `YYYY-MM-DD`; `nil` for anything else, including impossible dates such as `2026-02-30`.
    public init?(_ text: String) {
        var text = text
        let parsed: LocalDate? = text.withUTF8 { bytes in
            var reader = DigitReader(bytes: bytes)
            guard let year = reader.number(digits: 4), reader.expect(UInt8(ascii: "-")),
                let month = reader.number(digits: 2), reader.expect(UInt8(ascii: "-")),
                let day = reader.number(digits: 2), reader.atEnd,
                (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
            else { return nil }
            return LocalDate(daysSinceEpoch: CivilDate.daysSinceEpoch(year: year, month: month, day: day))
        }
        guard let parsed else { return nil }
        self = parsed
    }

    public init(year: Int, month: Int, day: Int) {
        daysSinceEpoch = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
    }

    /// The date's year, month (1–12) and day of the month.
    public var components: (year: Int, month: Int, day: Int) {
        CivilDate.date(daysSinceEpoch: daysSinceEpoch)
    }

    /// The day of the week, which picks the weekly shifts that apply.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let daysSinceMonday = daysSinceEpoch + 3
        return Weekday.allCases[Int(daysSinceMonday - daysSinceMonday.floorDivided(by: 7) * 7)]
    }

    public func adding(days: Int64) -> LocalDate {
        LocalDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    public var description: String {
        let date = CivilDate.date(daysSinceEpoch: daysSinceEpoch)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
    }
}

/// The days of a weekly work schedule, keyed as `plan-format.md` keys them.
public enum Weekday: String, CaseIterable, Sendable {
    case mon, tue, wed, thu, fri, sat, sun
}
