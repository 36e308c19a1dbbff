import Foundation

/// Reads a `liftoff plan` problem document (`docs/plan-format.md`) into a ``PlanningProblem``,
/// checking every rule and collecting every break of one, so a dispatcher can fix a file in one go.
///
/// ```swift
/// let problem = try PlanDocumentReader.problem(from: Array(data))
/// ```
public enum PlanDocumentReader {
    /// The largest `horizonDays` accepted: a year ahead is further than any dispatcher plans, and the
    /// bound keeps one run's work finite.
    public static let maximumHorizonDays = 366
    /// The range of `now` accepted: every instant a plan can then name (up to a year later) stays a
    /// four-digit-year RFC 3339 instant.
    public static let supportedNow = RFC3339.parse("1900-01-01T00:00:00Z")!...RFC3339.parse("9000-01-01T00:00:00Z")!
    /// The largest number accepted for a field counted in minutes (about 19 months).
    public static let maximumMinutes = 1_000_000

    /// The problem `bytes` describe, or every reason they do not describe one.
    public static func problem(from bytes: [UInt8]) throws(PlanFormatError) -> PlanningProblem {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw PlanFormatError(problems: [error.description])
        }
        return try problem(from: root)
    }

    /// The problem a parsed document describes.
    public static func problem(from root: JSONValue) throws(PlanFormatError) -> PlanningProblem {
        var reader = FieldReader()
        guard case .object(let object) = root else {
            throw PlanFormatError(problems: [
                "the document must be a JSON object with now and technicians, got \(root.typeName)"
            ])
        }
        var now = reader.instant(object, "now", at: "", required: true)
        if let instant = now, !PlanDocumentReader.supportedNow.contains(instant) {
            reader.report("", "now must be between 1900 and 9000, got \(instant)")
            now = nil
        }
        var settings = Settings()
        if let overrides = reader.settings(object["settings"], at: "settings") {
            settings = settings.applying(overrides)
        }
        var technicians: [Technician] = []
        var seenIds: Set<String> = []
        if let list = reader.list(object, "technicians", at: "", required: true) {
            for (index, value) in list.enumerated() {
                guard let technician = reader.technician(value, index: index) else { continue }
                if !seenIds.insert(technician.id).inserted {
                    reader.report("technicians[\(index)]", "id \"\(technician.id)\" is used by an earlier technician")
                }
                technicians.append(technician)
            }
        }
        guard reader.problems.isEmpty, let now else { throw PlanFormatError(problems: reader.problems) }
        return PlanningProblem(now: now, settings: settings, technicians: technicians)
    }
}

/// Reads typed fields out of JSON objects and records what is wrong with them, with the path to each.
struct FieldReader {
    private(set) var problems: [String] = []

    /// Records a problem; `context` names where it is ("technician 7: busy[2] (A-17)").
    mutating func report(_ context: String, _ message: String) {
        problems.append(context.isEmpty ? message : "\(context): \(message)")
    }

    mutating func missing(_ context: String, _ key: String) {
        report(context, "\(key) is missing")
    }

    mutating func string(_ object: JSONObject, _ key: String, at context: @autoclosure () -> String, required: Bool)
        -> String?
    {
        switch object[key] {
        case nil:
            if required { missing(context(), key) }
            return nil
        case .string(let text)?:
            return text
        case let other?:
            report(context(), "\(key) must be a string, got \(other.typeName)")
            return nil
        }
    }

    /// A string or, since Autotask ids are numbers, an integer written as one.
    mutating func identifier(_ object: JSONObject, _ key: String, at context: @autoclosure () -> String, required: Bool)
        -> String?
    {
        switch object[key] {
        case nil, .null?:
            if required { missing(context(), key) }
            return nil
        case .string(let text)?:
            if required && text.isEmpty { report(context(), "\(key) must be a non-empty string") }
            return text
        case .integer(let number)?:
            return String(number)
        case let other?:
            report(context(), "\(key) must be a string, got \(other.typeName)")
            return nil
        }
    }

    mutating func integer(
        _ object: JSONObject, _ key: String, at context: @autoclosure () -> String, required: Bool, minimum: Int,
        maximum: Int = PlanDocumentReader.maximumMinutes
    ) -> Int? {
        switch object[key] {
        case nil:
            if required { missing(context(), key) }
            return nil
        case .integer(let value)?:
            guard value >= minimum && value <= maximum else {
                report(context(), "\(key) must be an integer from \(minimum) to \(maximum), got \(value)")
                return nil
            }
            return Int(value)
        case .number(let value)?:
            report(context(), "\(key) must be an integer, got \(value)")
            return nil
        case let other?:
            report(context(), "\(key) must be an integer, got \(other.typeName)")
            return nil
        }
    }

    mutating func bool(_ object: JSONObject, _ key: String, at context: @autoclosure () -> String) -> Bool? {
        switch object[key] {
        case nil: return nil
        case .bool(let value)?: return value
        case let other?:
            report(context(), "\(key) must be true or false, got \(other.typeName)")
            return nil
        }
    }

    /// An RFC 3339 instant; when `required` is false, `null` and absence both mean none.
    mutating func instant(_ object: JSONObject, _ key: String, at context: @autoclosure () -> String, required: Bool)
        -> Instant?
    {
        switch object[key] {
        case nil, .null?:
            if required { missing(context(), key) }
            return nil
        case .string(let text)?:
            guard let instant = RFC3339.parse(text) else {
                report(
                    context(),
                    "\(key) must be an RFC 3339 instant with a zone designator such as 2026-03-06T14:00:00Z, got \"\(text.prefix(40))\""
                )
                return nil
            }
            return instant
        case let other?:
            report(context(), "\(key) must be an RFC 3339 instant string, got \(other.typeName)")
            return nil
        }
    }

    mutating func list(_ object: JSONObject, _ key: String, at context: @autoclosure () -> String, required: Bool)
        -> [JSONValue]?
    {
        switch object[key] {
        case nil:
            if required { missing(context(), key) }
            return nil
        case .array(let elements)?:
            return elements
        case let other?:
            report(context(), "\(key) must be a list, got \(other.typeName)")
            return nil
        }
    }

    /// A value of an enumeration given by its raw string.
    mutating func choice<Value: RawRepresentable & CaseIterable>(
        _ object: JSONObject, _ key: String, at context: @autoclosure () -> String, required: Bool
    ) -> Value? where Value.RawValue == String {
        func known() -> String { Value.allCases.map(\.rawValue).joined(separator: ", ") }
        switch object[key] {
        case nil, .null?:
            if required { missing(context(), key) }
            return nil
        case .string(let text)?:
            guard let value = Value(rawValue: text) else {
                report(context(), "\(key) must be one of \(known()), got \"\(text.prefix(40))\"")
                return nil
            }
            return value
        case let other?:
            report(context(), "\(key) must be one of \(known()), got \(other.typeName)")
            return nil
        }
    }
}
