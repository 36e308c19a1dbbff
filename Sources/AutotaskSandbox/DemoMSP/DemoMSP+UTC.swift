import LiftoffCore

extension DemoMSP {
    /// Civil-date arithmetic on days since 1970-01-01 and the wire format, from LiftoffCore's
    /// `LocalDate` and `RFC3339` rather than `DateFormatter`, whose output depends on locale and
    /// calendar settings the sandbox does not control.
    enum UTC {
        static let day: Int64 = 86_400

        static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
            let quotient = value / divisor
            return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
        }

        /// Days since 1970-01-01 of a proleptic Gregorian date.
        static func days(year: Int, month: Int, day: Int) -> Int64 {
            LocalDate(year: year, month: month, day: day).daysSinceEpoch
        }

        static func civil(_ days: Int64) -> (year: Int, month: Int, day: Int) {
            LocalDate(daysSinceEpoch: days).components
        }

        /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
        static func weekday(_ days: Int64) -> Int { Int(((days + 3) % 7 + 7) % 7) }

        /// `yyyy-MM-ddTHH:mm:ssZ`, the format Autotask returns and clients send.
        static func format(_ seconds: Int64) -> String {
            RFC3339.format(Instant(millisecondsSinceEpoch: seconds * 1_000))
        }

        /// `yyyyMMdd`, the date part of a ticket number.
        static func compactDate(_ seconds: Int64) -> String {
            let (year, month, dayOfMonth) = civil(floorDivide(seconds, day))
            return pad(year, 4) + pad(month, 2) + pad(dayOfMonth, 2)
        }

        static func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }

    /// A busy interval in UTC seconds, half-open.
    struct Span {
        let start: Int64
        let end: Int64

        func overlaps(_ other: Span) -> Bool { start < other.end && other.start < end }
    }
}
