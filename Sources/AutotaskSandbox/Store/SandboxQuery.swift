import Foundation
import LiftoffCore

/// A parsed Autotask query: filters resolved against the entity's fields, the fields to return and
/// the page size. Keys and field names match in any letter case, as Autotask's do.
struct SandboxQuery: Sendable {
    indirect enum Filter: Sendable {
        case condition(op: String, field: EntitySchema.Field?, udf: String?, value: JSONValue?)
        case and([Filter])
        case or([Filter])
    }

    static let operators: Set<String> = [
        "eq", "noteq", "gt", "gte", "lt", "lte", "beginswith", "endswith", "contains", "exist", "notexist", "in",
        "notin",
    ]

    let filters: [Filter]
    let includeFields: [String]?
    let maxRecords: Int

    init(_ body: JSONObject, schema: EntitySchema) throws(SandboxError) {
        func member(_ name: String) -> JSONValue? {
            body.members.first { $0.key.lowercased() == name }?.value
        }
        guard case .array(let items)? = member("filter"), !items.isEmpty else {
            throw .validation([
                "A query must have at least one filter, e.g. {\"op\":\"gte\",\"field\":\"id\",\"value\":0}."
            ])
        }
        var udfCount = 0
        var orCount = 0
        filters = try items.map { item throws(SandboxError) in
            try Self.filter(item, schema: schema, udfCount: &udfCount, orCount: &orCount)
        }
        guard udfCount <= 1 else { throw .validation(["You can only query by one user-defined field at a time."]) }
        guard orCount <= 500 else { throw .validation(["Queries are limited to 500 or fewer 'OR' conditions."]) }
        switch member("maxrecords") {
        case nil, .null?: maxRecords = 500
        case .integer(let value)? where (1...500).contains(value): maxRecords = Int(value)
        default: throw .validation(["maxCountOfRecordsToReturn must be between 1 and 500"])
        }
        switch member("includefields") {
        case .array(let names)?:
            includeFields = try names.map { name throws(SandboxError) in
                guard case .string(let text) = name else { throw .validation(["IncludeFields must be field names."]) }
                guard let field = schema.field(named: text) else {
                    throw .validation(["Unable to find \(text) in the \(schema.name) entity."])
                }
                return field.name
            }
        default: includeFields = nil
        }
    }

    private static func filter(
        _ value: JSONValue, schema: EntitySchema, udfCount: inout Int, orCount: inout Int
    ) throws(SandboxError) -> Filter {
        guard case .object(let object) = value else { throw .validation(["A filter must be an object with op."]) }
        func member(_ name: String) -> JSONValue? {
            object.members.first { $0.key.lowercased() == name }?.value
        }
        guard case .string(let opText)? = member("op") else { throw .validation(["A filter needs an op."]) }
        let op = opText.lowercased()
        if op == "and" || op == "or" {
            guard case .array(let items)? = member("items"), !items.isEmpty else {
                throw .validation(["The \(opText) group needs items."])
            }
            if op == "or" { orCount += items.count }
            let children = try items.map { item throws(SandboxError) in
                try filter(item, schema: schema, udfCount: &udfCount, orCount: &orCount)
            }
            return op == "and" ? .and(children) : .or(children)
        }
        guard operators.contains(op) else { throw .validation(["Invalid filter operator: \(opText)."]) }
        guard case .string(let fieldName)? = member("field") else { throw .validation(["The filter needs a field."]) }
        let argument = member("value")
        if op != "exist" && op != "notexist" && (argument == nil || argument == .null) {
            throw .validation(["The \(opText) filter on \(fieldName) needs a value."])
        }
        if op == "in" || op == "notin" {
            guard case .array? = argument else {
                throw .validation(["The \(opText) filter on \(fieldName) needs a list of values."])
            }
        }
        if case .bool(true)? = member("udf") {
            udfCount += 1
            return .condition(op: op, field: nil, udf: fieldName, value: argument)
        }
        guard let field = schema.field(named: fieldName) else {
            throw .validation(["Unable to find \(fieldName) in the \(schema.name) entity."])
        }
        if field.type == .boolean, let argument, argument != .null {
            guard case .bool = argument else {
                throw .validation(["The value for \(field.name) must be true or false."])
            }
        }
        return .condition(op: op, field: field, udf: nil, value: argument)
    }

    func matches(_ record: JSONObject) -> Bool {
        filters.allSatisfy { Self.evaluate($0, record) }
    }

    private static func evaluate(_ filter: Filter, _ record: JSONObject) -> Bool {
        switch filter {
        case .and(let items): return items.allSatisfy { evaluate($0, record) }
        case .or(let items): return items.contains { evaluate($0, record) }
        case .condition(let op, let field, let udf, let argument):
            let actual: JSONValue
            let type: EntitySchema.FieldType
            if let field {
                actual = record[field.name] ?? .null
                type = field.type
            } else {
                actual = udfValue(record, name: udf ?? "")
                type = .string
            }
            switch op {
            case "exist": return actual != .null
            case "notexist": return actual == .null
            case "in", "notin":
                guard actual != .null, case .array(let values)? = argument else { return false }
                let found = values.contains { compare(actual, $0, type) == .orderedSame }
                return op == "in" ? found : !found
            default:
                // As in SQL, a comparison with an unset value is never true, `noteq` included.
                guard actual != .null, let argument else { return false }
                if ["beginswith", "endswith", "contains"].contains(op) {
                    guard let text = string(actual)?.lowercased(), let part = string(argument)?.lowercased() else {
                        return false
                    }
                    switch op {
                    case "beginswith": return text.hasPrefix(part)
                    case "endswith": return text.hasSuffix(part)
                    default: return text.contains(part)
                    }
                }
                guard let order = compare(actual, argument, type) else { return false }
                switch op {
                case "eq": return order == .orderedSame
                case "noteq": return order != .orderedSame
                case "gt": return order == .orderedDescending
                case "gte": return order != .orderedAscending
                case "lt": return order == .orderedAscending
                default: return order != .orderedDescending
                }
            }
        }
    }

    private static func udfValue(_ record: JSONObject, name: String) -> JSONValue {
        guard case .array(let fields)? = record["userDefinedFields"] else { return .null }
        for case .object(let field) in fields where string(field["name"] ?? .null)?.lowercased() == name.lowercased() {
            return field["value"] ?? .null
        }
        return .null
    }

    private static func string(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: return nil
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let number): return Double(number)
        case .number(let number): return number
        case .string(let text): return Double(text)
        case .bool(let flag): return flag ? 1 : 0
        default: return nil
        }
    }

    /// How a record's value compares with a filter's, by the field's type; `nil` when incomparable.
    private static func compare(_ actual: JSONValue, _ wanted: JSONValue, _ type: EntitySchema.FieldType)
        -> ComparisonResult?
    {
        switch type {
        case .integer, .double:
            guard let left = number(actual), let right = number(wanted) else { return nil }
            return left < right ? .orderedAscending : left > right ? .orderedDescending : .orderedSame
        case .boolean:
            guard case .bool(let left) = actual, case .bool(let right) = wanted else { return nil }
            return left == right ? .orderedSame : (left ? .orderedDescending : .orderedAscending)
        case .dateTime:
            guard let leftText = string(actual), let rightText = string(wanted),
                let left = SandboxDate.parse(leftText), let right = SandboxDate.parse(rightText)
            else { return nil }
            return left < right ? .orderedAscending : left > right ? .orderedDescending : .orderedSame
        case .string:
            guard let left = string(actual)?.lowercased(), let right = string(wanted)?.lowercased() else { return nil }
            return left < right ? .orderedAscending : left > right ? .orderedDescending : .orderedSame
        }
    }
}
