import Foundation
import LiftoffCore

/// Autotask's date-times: UTC, sent as `2026-03-06T14:00:00Z`, received with 0–3 fractional digits,
/// sometimes without a zone designator (then UTC, as Autotask stores everything in UTC).
enum AutotaskDate {
    /// Whole seconds, UTC, with `Z`: the form Autotask documents for writes.
    static func format(_ date: Date) -> String {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        return RFC3339.format(Instant(millisecondsSinceEpoch: seconds * 1000))
    }

    /// LiftoffCore's strict reader, shared with the sandbox: `2026-02-31` is refused, not rolled into March.
    static func parse(_ text: String) -> Date? {
        RFC3339.parseAutotask(text).map { Date(timeIntervalSince1970: Double($0.millisecondsSinceEpoch) / 1000) }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an Autotask date-time: \(text)")
            }
            return date
        }
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
