import Foundation

/// One condition of an Autotask query, or a group of them.
///
/// ```swift
/// let open: [QueryFilter] = [
///     .noteq("status", 5),
///     .or([.gte("lastActivityDate", .date(since)), .in("queueID", [29683354, 29683355])]),
/// ]
/// ```
///
/// Top-level filters of a query are and-ed, as Autotask does. Field names are case-insensitive on
/// Autotask's side; write them as Autotask spells them (`queueID`).
public indirect enum QueryFilter: Sendable, Equatable {
    case condition(op: Operator, field: String, value: QueryValue?, udf: Bool)
    case and([QueryFilter])
    case or([QueryFilter])

    /// Autotask's comparison operators.
    public enum Operator: String, Sendable, CaseIterable {
        case eq, noteq, gt, gte, lt, lte, beginsWith, endsWith, contains, exist, notExist
        case `in` = "in"
        case notIn
    }

    public static func eq(_ field: String, _ value: QueryValue, udf: Bool = false) -> QueryFilter {
        .condition(op: .eq, field: field, value: value, udf: udf)
    }
    public static func noteq(_ field: String, _ value: QueryValue) -> QueryFilter {
        .condition(op: .noteq, field: field, value: value, udf: false)
    }
    public static func gt(_ field: String, _ value: QueryValue) -> QueryFilter {
        .condition(op: .gt, field: field, value: value, udf: false)
    }
    public static func gte(_ field: String, _ value: QueryValue) -> QueryFilter {
        .condition(op: .gte, field: field, value: value, udf: false)
    }
    public static func lt(_ field: String, _ value: QueryValue) -> QueryFilter {
        .condition(op: .lt, field: field, value: value, udf: false)
    }
    public static func lte(_ field: String, _ value: QueryValue) -> QueryFilter {
        .condition(op: .lte, field: field, value: value, udf: false)
    }
    public static func beginsWith(_ field: String, _ value: String) -> QueryFilter {
        .condition(op: .beginsWith, field: field, value: .string(value), udf: false)
    }
    public static func endsWith(_ field: String, _ value: String) -> QueryFilter {
        .condition(op: .endsWith, field: field, value: .string(value), udf: false)
    }
    public static func contains(_ field: String, _ value: String) -> QueryFilter {
        .condition(op: .contains, field: field, value: .string(value), udf: false)
    }
    public static func exist(_ field: String) -> QueryFilter {
        .condition(op: .exist, field: field, value: nil, udf: false)
    }
    public static func notExist(_ field: String) -> QueryFilter {
        .condition(op: .notExist, field: field, value: nil, udf: false)
    }
    public static func `in`(_ field: String, _ values: [Int]) -> QueryFilter {
        .condition(op: .in, field: field, value: .integers(values), udf: false)
    }
    public static func `in`(_ field: String, _ values: [String]) -> QueryFilter {
        .condition(op: .in, field: field, value: .strings(values), udf: false)
    }
    public static func notIn(_ field: String, _ values: [Int]) -> QueryFilter {
        .condition(op: .notIn, field: field, value: .integers(values), udf: false)
    }
    /// Every record: Autotask rejects a query without a filter.
    public static let all = QueryFilter.gte("id", 0)

    /// The filter as Autotask's JSON.
    var json: Any {
        switch self {
        case .condition(let op, let field, let value, let udf):
            var object: [String: Any] = ["op": op.rawValue, "field": field]
            if let value { object["value"] = value.json }
            if udf { object["udf"] = true }
            return object
        case .and(let items): return ["op": "and", "items": items.map(\.json)]
        case .or(let items): return ["op": "or", "items": items.map(\.json)]
        }
    }
}

/// A value in a filter or a PATCH: what Autotask accepts on the wire.
public enum QueryValue: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral
{
    case integer(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case date(Date)
    case integers([Int])
    case strings([String])
    case null

    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    var json: Any {
        switch self {
        case .integer(let value): return value
        case .double(let value): return value
        case .string(let value): return value
        case .bool(let value): return value
        case .date(let value): return AutotaskDate.format(value)
        case .integers(let values): return values
        case .strings(let values): return values
        case .null: return NSNull()
        }
    }
}

/// What a query asks for: filters, optionally a subset of fields, and the page size.
public struct EntityQuery: Sendable, Equatable {
    public var filter: [QueryFilter]
    public var includeFields: [String]?
    /// Records per page, 1…500.
    public var maxRecords: Int

    public init(filter: [QueryFilter], includeFields: [String]? = nil, maxRecords: Int = 500) {
        self.filter = filter
        self.includeFields = includeFields
        self.maxRecords = maxRecords
    }

    /// The body Autotask expects at `{Entity}/query`.
    public var body: [UInt8] {
        var object: [String: Any] = ["filter": filter.map(\.json), "MaxRecords": maxRecords]
        if let includeFields { object["IncludeFields"] = includeFields }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
