import Foundation
import LiftoffCore

/// Weekly working hours set by hand for a technician whose Autotask location gives none (or wrong
/// ones): plan-format.md's `weekly` object, `{"mon": [["08:00", "17:00"]], …}`.
///
/// Read from the API's JSON or from the Settings form's one line per day ("08:00-12:00, 13:00-17:00",
/// blank for a day off). Every error names the day and the shift it is about.
struct WeeklyHours: Equatable, Sendable {
    static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let dayNames = [
        "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
        "sat": "Saturday", "sun": "Sunday",
    ]

    /// Shifts per day key, each `(start, end)` as "HH:MM" with an end of up to "24:00".
    var shifts: [String: [(String, String)]]

    static func == (lhs: WeeklyHours, rhs: WeeklyHours) -> Bool { lhs.json == rhs.json }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// From the API's JSON; `field` prefixes every error ("weeklyHours").
    init(json value: JSONValue, field: String) throws(Invalid) {
        guard case .object(let object) = value else { throw Invalid(description: "\(field) must be an object") }
        for key in object.keys where !Self.days.contains(key) {
            throw Invalid(description: "\(field).\(key) is not a day: use \(Self.days.joined(separator: ", "))")
        }
        var shifts: [String: [(String, String)]] = [:]
        for day in Self.days {
            guard let entry = object[day], entry != .null else {
                shifts[day] = []
                continue
            }
            guard case .array(let list) = entry else {
                throw Invalid(description: "\(field).\(day) must be a list of [start, end] pairs")
            }
            var parsed: [(String, String)] = []
            for (index, pair) in list.enumerated() {
                guard case .array(let ends) = pair, ends.count == 2, case .string(let start) = ends[0],
                    case .string(let end) = ends[1]
                else {
                    throw Invalid(description: "\(field).\(day)[\(index)] must be [\"HH:MM\", \"HH:MM\"]")
                }
                parsed.append((start, end))
            }
            shifts[day] = parsed
        }
        try self.init(checking: shifts, field: field)
    }

    /// From the form: one line per day, shifts separated by commas, "-" or "–" between the ends.
    init(form lines: [String: String]) throws(Invalid) {
        var shifts: [String: [(String, String)]] = [:]
        for day in Self.days {
            let text = lines[day]?.trimmingCharacters(in: .whitespaces) ?? ""
            var parsed: [(String, String)] = []
            for piece in text.split(separator: ",") where !piece.trimmingCharacters(in: .whitespaces).isEmpty {
                let ends = piece.split(whereSeparator: { $0 == "-" || $0 == "–" }).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard ends.count == 2 else {
                    throw Invalid(
                        description:
                            "\(Self.dayNames[day]!): \"\(piece.trimmingCharacters(in: .whitespaces))\" is not a shift like 08:00-17:00"
                    )
                }
                parsed.append((ends[0], ends[1]))
            }
            shifts[day] = parsed
        }
        try self.init(checking: shifts, field: nil)
    }

    private init(checking shifts: [String: [(String, String)]], field: String?) throws(Invalid) {
        for day in Self.days {
            let name = field.map { "\($0).\(day)" } ?? Self.dayNames[day]!
            var previousEnd = -1
            for (index, (start, end)) in (shifts[day] ?? []).enumerated() {
                let label = field == nil ? "\(name) \(start)-\(end)" : "\(name)[\(index)]"
                guard let from = Self.minutes(start), from < 24 * 60 else {
                    throw Invalid(description: "\(label): start \"\(start)\" is not a time from 00:00 to 23:59")
                }
                guard let to = Self.minutes(end) else {
                    throw Invalid(description: "\(label): end \"\(end)\" is not a time from 00:01 to 24:00")
                }
                guard to > from else { throw Invalid(description: "\(label): the end must be after the start") }
                guard from >= previousEnd else {
                    throw Invalid(description: "\(label): shifts must be in order and must not overlap")
                }
                previousEnd = to
            }
        }
        self.shifts = shifts
    }

    /// Minutes since midnight of "HH:MM" (up to 24:00), or nil.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]),
            let minutes = Int(parts[1]), (0...24).contains(hours), (0..<60).contains(minutes),
            hours * 60 + minutes <= 24 * 60
        else { return nil }
        return hours * 60 + minutes
    }

    var hasHours: Bool { shifts.values.contains { !$0.isEmpty } }

    /// plan-format.md's `weekly` object.
    var json: JSONValue {
        var object = JSONObject()
        for day in Self.days {
            object[day] = .array((shifts[day] ?? []).map { .array([.string($0.0), .string($0.1)]) })
        }
        return .object(object)
    }

    /// The form's text for a day: "08:00-12:00, 13:00-17:00".
    func line(_ day: String) -> String {
        (shifts[day] ?? []).map { "\($0.0)-\($0.1)" }.joined(separator: ", ")
    }
}
