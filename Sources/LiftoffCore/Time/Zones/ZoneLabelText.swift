import Foundation

/// The lenient reading of zone labels: the words of a label and its `(UTC±hh:mm)` prefix.
///
/// Autotask tenants show the same zone as "(UTC-05:00) Eastern Time (US & Canada)",
/// "(GMT-05:00) Eastern Time (US and Canada)" or "eastern standard time"; comparing words rather than
/// text makes case, `&` against "and", spacing, punctuation and accents irrelevant.
enum ZoneLabelText {
    /// The words of `text`: lowercased without accents, `&` read as "and", split at anything but letters
    /// and digits. A sign before a number stays with it ("UTC-11" ≠ "UTC+11"), and runs of single letters
    /// join up ("U.S." reads as "us", like "US").
    static func words(_ text: some StringProtocol) -> [String] {
        let folded = String(text).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        let characters = Array(folded)
        for (position, character) in characters.enumerated() {
            if character.isLetter || character.isNumber {
                current.append(character)
                continue
            }
            if !current.isEmpty { words.append(current) }
            current = ""
            if character == "&" {
                words.append("and")
            } else if "+-−".contains(character), position + 1 < characters.count, characters[position + 1].isNumber,
                position == 0 || !characters[position - 1].isNumber
            {
                current = character == "+" ? "+" : "-"
            }
        }
        if !current.isEmpty { words.append(current) }
        return joiningSingleLetters(words)
    }

    /// `words(text)` joined by single spaces: equal for labels that differ only in what `words` ignores.
    static func key(_ text: some StringProtocol) -> String {
        words(text).joined(separator: " ")
    }

    /// The offset of a leading `(UTC±hh:mm)`, `(GMT±hh:mm)`, `(UTC)`, `(GMT)` or the same without
    /// parentheses (`UTC+5:30`, `GMT-0500`), in minutes east, and the text after it; nil without one.
    static func offsetPrefix(_ label: String) -> (minutes: Int, rest: Substring)? {
        var rest = label[...].drop { $0.isWhitespace }
        let parenthesized = rest.first == "("
        if parenthesized { rest = rest.dropFirst().drop { $0.isWhitespace } }
        let name = rest.prefix(3).lowercased()
        guard name == "utc" || name == "gmt" else { return nil }
        rest = rest.dropFirst(3)
        guard parenthesized || !startsWithWord(rest) else { return nil }
        rest = rest.drop { $0.isWhitespace }
        var minutes = 0
        if let sign = rest.first, "+-−".contains(sign) {
            rest = rest.dropFirst().drop { $0.isWhitespace }
            guard let (magnitude, after) = hoursAndMinutes(rest) else { return nil }
            guard parenthesized || !startsWithWord(after) else { return nil }
            minutes = sign == "+" ? magnitude : -magnitude
            rest = after.drop { $0.isWhitespace }
        }
        if parenthesized {
            guard rest.first == ")" else { return nil }
            rest = rest.dropFirst()
        }
        return (minutes, rest)
    }

    /// Whether `text` goes straight on with a letter or digit (so "UTCville" has no "UTC" prefix).
    private static func startsWithWord(_ text: Substring) -> Bool {
        text.first.map { $0.isLetter || $0.isNumber } ?? false
    }

    /// `h`, `hh`, `h:mm`, `hh:mm`, `hh.mm` or `hhmm` at the start of `text`, as minutes; at most 14 hours.
    private static func hoursAndMinutes(_ text: Substring) -> (Int, Substring)? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        var rest = text.dropFirst(digits.count)
        var hours: Int
        var minutes = 0
        switch digits.count {
        case 1, 2:
            hours = Int(digits)!
            if let separator = rest.first, separator == ":" || separator == "." {
                let minuteDigits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                guard minuteDigits.count == 2 else { return nil }
                minutes = Int(minuteDigits)!
                rest = rest.dropFirst(3)
            }
        case 4:
            hours = Int(digits.prefix(2))!
            minutes = Int(digits.suffix(2))!
        default:
            return nil
        }
        guard hours <= 14, minutes < 60 else { return nil }
        return (hours * 60 + minutes, rest)
    }

    private static func joiningSingleLetters(_ words: [String]) -> [String] {
        var joined: [String] = []
        var pending = ""
        for word in words {
            if word.count == 1, word.first!.isLetter {
                pending += word
                continue
            }
            if !pending.isEmpty { joined.append(pending) }
            pending = ""
            joined.append(word)
        }
        if !pending.isEmpty { joined.append(pending) }
        return joined
    }
}
