/// Reads and writes RFC 3339 instants such as `2026-03-06T09:00:00-05:00` or `2026-03-06T14:00:00.5Z`.
///
/// A zone designator is mandatory: a time without one would silently mean some machine's local time,
/// which is exactly the class of bug Liftoff refuses. Fractions beyond milliseconds are truncated.
/// Written instants are always UTC with `Z`, with milliseconds only when they are not zero.
public enum RFC3339 {
    /// The instant `text` names, or `nil` when it is not an RFC 3339 date-time with a zone designator.
    public static func parse(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// An Autotask date-time: the same strict reading, except that a missing zone designator means
    /// UTC — Autotask stores everything in UTC and some of its fields come without the `Z`. The one
    /// reader the Autotask client and the sandbox share (docs/autotask.md, *Date-times*).
    public static func parseAutotask(_ text: String) -> Instant? {
        var text = text
        return text.withUTF8 { parse(bytes: $0, zoneRequired: false) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>, zoneRequired: Bool = true) -> Instant? {
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(digits: 4), reader.expect(UInt8(ascii: "-")),
            let month = reader.number(digits: 2), reader.expect(UInt8(ascii: "-")),
            let day = reader.number(digits: 2),
            reader.expect(UInt8(ascii: "T")) || reader.expect(UInt8(ascii: "t")),
            let hour = reader.number(digits: 2), reader.expect(UInt8(ascii: ":")),
            let minute = reader.number(digits: 2), reader.expect(UInt8(ascii: ":")),
            let second = reader.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var milliseconds: Int64 = 0
        if reader.expect(UInt8(ascii: ".")) {
            var digits = 0
            while let digit = reader.digit() {
                if digits < 3 { milliseconds = milliseconds * 10 + Int64(digit) }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { milliseconds *= 10 }
        }
        var offsetMinutes = 0
        if reader.expect(UInt8(ascii: "Z")) || reader.expect(UInt8(ascii: "z")) {
            offsetMinutes = 0
        } else if !zoneRequired && reader.atEnd {
            offsetMinutes = 0
        } else {
            let sign: Int
            if reader.expect(UInt8(ascii: "+")) {
                sign = 1
            } else if reader.expect(UInt8(ascii: "-")) {
                sign = -1
            } else {
                return nil
            }
            guard let offsetHours = reader.number(digits: 2), reader.expect(UInt8(ascii: ":")),
                let offsetMinutesPart = reader.number(digits: 2), offsetHours <= 23, offsetMinutesPart <= 59
            else { return nil }
            offsetMinutes = sign * (offsetHours * 60 + offsetMinutesPart)
        }
        guard reader.atEnd else { return nil }
        // A leap second (:60) is read as the last millisecond of its minute's 59th second.
        let secondsOfDay = Int64(hour * 3600 + minute * 60 + min(second, 59))
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        var total = (days * 86_400 + secondsOfDay - Int64(offsetMinutes) * 60) * Milliseconds.perSecond
        total += second == 60 ? 999 : milliseconds
        return Instant(millisecondsSinceEpoch: total)
    }

    /// `instant` as `YYYY-MM-DDTHH:MM:SSZ` (or `…SS.mmmZ`).
    public static func format(_ instant: Instant) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(instant, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the form of ``format(_:)`` to `bytes` without allocating.
    static func append(_ instant: Instant, to bytes: inout [UInt8]) {
        let total = instant.millisecondsSinceEpoch
        let days = total.floorDivided(by: Milliseconds.perDay)
        let msOfDay = total - days * Milliseconds.perDay
        let date = CivilDate.date(daysSinceEpoch: days)
        let seconds = Int(msOfDay / Milliseconds.perSecond)
        let milliseconds = Int(msOfDay % Milliseconds.perSecond)
        if date.year < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(&bytes, abs(date.year), 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(&bytes, date.month, 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(&bytes, date.day, 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(&bytes, seconds / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(&bytes, seconds / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(&bytes, seconds % 60, 2)
        if milliseconds != 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(&bytes, milliseconds, 3)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `value` (not negative) in at least `width` decimal digits, zero-padded.
    private static func appendDigits(_ bytes: inout [UInt8], _ value: Int, _ width: Int) {
        var divisor = 1
        var digits = 1
        while digits < width || divisor * 10 <= value {
            divisor *= 10
            digits += 1
        }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}

/// A cursor over ASCII digits and punctuation, shared by the date and time-of-day readers.
struct DigitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else {
            return nil
        }
        defer { index += 1 }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    /// Exactly `digits` decimal digits, or `nil` (and the cursor where it stopped).
    mutating func number(digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func expect(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }
}
