import Foundation
import LiftoffCore
import WallClock

/// The sandbox's records, by entity, and every rule about reading and writing them.
///
/// Records are kept in full, in the entity's field order, with `null` for unset fields and an empty
/// `userDefinedFields`, which is how Autotask answers. Writes check types, picklists, required
/// fields, references and a few business rules, and stamp the change cursors (`lastActivityDate`,
/// `lastModifiedDateTime`, …) that incremental sync relies on.
actor SandboxStore {
    private var tables: [String: [Int64: JSONObject]] = [:]
    private var nextIDs: [String: Int64] = [:]
    private let clock: LiftoffClock
    /// Called after every successful write, e.g. to save the state file.
    private var onChange: (@Sendable ([String: [JSONObject]]) -> Void)?

    init(records: [String: [JSONObject]] = [:], clock: LiftoffClock) {
        self.clock = clock
        (tables, nextIDs) = Self.tables(from: records)
    }

    func setOnChange(_ handler: (@Sendable ([String: [JSONObject]]) -> Void)?) {
        onChange = handler
    }

    /// Replaces every record.
    func load(_ records: [String: [JSONObject]]) {
        (tables, nextIDs) = Self.tables(from: records)
        changed()
    }

    private static func tables(from records: [String: [JSONObject]]) -> ([String: [Int64: JSONObject]], [String: Int64])
    {
        var tables: [String: [Int64: JSONObject]] = [:]
        var nextIDs: [String: Int64] = [:]
        for schema in SandboxCatalog.entities {
            var table: [Int64: JSONObject] = [:]
            for record in records[schema.name] ?? [] {
                guard case .integer(let id)? = record["id"] else { continue }
                table[id] = normalised(record, schema: schema)
            }
            tables[schema.name] = table
            nextIDs[schema.name] = (table.keys.max() ?? firstID(schema.name) - 1) + 1
        }
        return (tables, nextIDs)
    }

    /// Every record by entity, in id order: what the state file holds.
    func snapshot() -> [String: [JSONObject]] {
        tables.mapValues { table in table.keys.sorted().map { table[$0]! } }
    }

    /// New ids start at realistic, entity-specific values so ids of different entities differ.
    private static func firstID(_ entity: String) -> Int64 {
        switch entity {
        case "Tickets": return 7_000
        case "ServiceCalls": return 3_000
        case "ServiceCallTickets": return 8_000
        case "ServiceCallTicketResources": return 9_000
        case "Appointments": return 40_000
        case "Resources": return 29_682_885
        default: return 1
        }
    }

    // MARK: Reading

    func get(_ schema: EntitySchema, id: Int64) -> JSONObject? {
        tables[schema.name]?[id]
    }

    /// One page of records matching `query` with ids above `afterID`, and whether more follow.
    func page(_ schema: EntitySchema, query: SandboxQuery, afterID: Int64?) -> (
        items: [JSONObject], lastID: Int64?, more: Bool
    ) {
        let table = tables[schema.name] ?? [:]
        var items: [JSONObject] = []
        var more = false
        for id in table.keys.sorted() where afterID.map({ id > $0 }) ?? true {
            guard let record = table[id], query.matches(record) else { continue }
            if items.count == query.maxRecords {
                more = true
                break
            }
            items.append(record)
        }
        let lastID: Int64? = if case .integer(let id)? = items.last?["id"] { id } else { nil }
        return (items.map { select($0, query.includeFields) }, lastID, more)
    }

    func count(_ schema: EntitySchema, query: SandboxQuery) -> Int {
        (tables[schema.name] ?? [:]).values.filter(query.matches).count
    }

    /// Only the fields asked for, plus `id` and `userDefinedFields`, which Autotask always returns.
    /// The record with only `fields` (matched without regard to case, as Autotask does), plus `id`
    /// and `userDefinedFields`, which Autotask always returns.
    private func select(_ record: JSONObject, _ fields: [String]?) -> JSONObject {
        guard let fields else { return record }
        let wanted = Set(fields.map { $0.lowercased() })
        var result = JSONObject()
        for member in record.members
        where member.key == "id" || member.key == "userDefinedFields" || wanted.contains(member.key.lowercased()) {
            result[member.key] = member.value
        }
        return result
    }

    // MARK: Writing

    /// Creates a record from `body`; `parentID` comes from a child URL and wins over the body.
    func create(_ schema: EntitySchema, body: JSONObject, parentID: Int64? = nil) throws(SandboxError) -> Int64 {
        var fields = try writableFields(body, schema: schema)
        if let link = schema.parent, let parentID {
            try requireParent(link, parentID)
            fields[link.field] = .integer(parentID)
        }
        let problems = schema.fields.filter { $0.isRequired && !$0.isReadOnly && (fields[$0.name] ?? .null) == .null }
            .map { "Field \($0.name) is required." }
        guard problems.isEmpty else { throw .validation(problems) }
        let id = nextIDs[schema.name, default: 1]
        var record = JSONObject()
        record["id"] = .integer(id)
        for field in schema.fields where field.name != "id" { record[field.name] = fields[field.name] ?? .null }
        record["userDefinedFields"] = []
        let now = SandboxDate.format(clock.now())
        let stamps = SandboxCatalog.stampedFields(of: schema.name)
        if let created = stamps.created { record[created] = .string(now) }
        if let modified = stamps.modified { record[modified] = .string(now) }
        if schema.name == "Tickets" {
            let day = now.prefix(10).replacingOccurrences(of: "-", with: "")
            let sequence = String(format: "%04d", (tables["Tickets"]?.count ?? 0) + 1)
            record["ticketNumber"] = .string("T\(day).\(sequence)")
        }
        try checkRules(record, schema: schema)
        try checkReferences(record, schema: schema)
        tables[schema.name, default: [:]][id] = record
        nextIDs[schema.name] = id + 1
        changed()
        return id
    }

    /// Changes a record: PATCH sets the fields given; PUT also sets every writable field left out to null.
    func update(_ schema: EntitySchema, body: JSONObject, replace: Bool, parentID: Int64? = nil) throws(SandboxError)
        -> Int64
    {
        guard let id = Self.id(in: body) else { throw .validation(["An update needs the id of the record."]) }
        guard var record = tables[schema.name]?[id] else {
            throw .validation(["No matching records found. id \(id) of \(schema.name)"])
        }
        if let link = schema.parent, let parentID, record[link.field] != .integer(parentID) {
            throw .validation(["No matching records found. id \(id) of \(schema.name) under \(link.parent) \(parentID)"]
            )
        }
        let fields = try writableFields(body, schema: schema)
        for field in schema.fields where !field.isReadOnly && field.name != "id" {
            if let value = fields[field.name] {
                record[field.name] = value
            } else if replace && schema.parent?.field != field.name {
                record[field.name] = .null
            }
        }
        let problems = schema.fields.filter { $0.isRequired && !$0.isReadOnly && (record[$0.name] ?? .null) == .null }
            .map { "Field \($0.name) is required." }
        guard problems.isEmpty else { throw .validation(problems) }
        if let modified = SandboxCatalog.stampedFields(of: schema.name).modified {
            record[modified] = .string(SandboxDate.format(clock.now()))
        }
        try checkRules(record, schema: schema)
        try checkReferences(record, schema: schema)
        tables[schema.name]?[id] = record
        changed()
        return id
    }

    func delete(_ schema: EntitySchema, id: Int64, parentID: Int64? = nil) throws(SandboxError) -> Int64 {
        guard let record = tables[schema.name]?[id] else {
            throw .validation(["No matching records found. id \(id) of \(schema.name)"])
        }
        if let link = schema.parent, let parentID, record[link.field] != .integer(parentID) {
            throw .validation(["No matching records found. id \(id) of \(schema.name) under \(link.parent) \(parentID)"]
            )
        }
        tables[schema.name]?[id] = nil
        // Deleting a service call takes its ticket links and their resources with it, as in Autotask.
        if schema.name == "ServiceCalls" {
            for (linkID, link) in tables["ServiceCallTickets"] ?? [:] where link["serviceCallID"] == .integer(id) {
                tables["ServiceCallTickets"]?[linkID] = nil
                for (resourceID, resource) in tables["ServiceCallTicketResources"] ?? [:]
                where resource["serviceCallTicketID"] == .integer(linkID) {
                    tables["ServiceCallTicketResources"]?[resourceID] = nil
                }
            }
        }
        changed()
        return id
    }

    private func changed() {
        onChange?(snapshot())
    }

    private static func id(in body: JSONObject) -> Int64? {
        switch body.members.first(where: { $0.key.lowercased() == "id" })?.value {
        case .integer(let id)?: return id
        case .number(let number)?: return Int64(exactly: number)
        default: return nil
        }
    }

    private func requireParent(_ link: EntitySchema.ParentLink, _ parentID: Int64) throws(SandboxError) {
        guard tables[link.parent] == nil || tables[link.parent]?[parentID] != nil else {
            throw .validation([
                "Reference value on field: \(link.field) of type: \(link.parent) does not exist or is invalid."
            ])
        }
    }

    /// The body's fields under their canonical names, typed and checked; read-only and unknown
    /// fields are ignored, as Autotask ignores them.
    private func writableFields(_ body: JSONObject, schema: EntitySchema) throws(SandboxError) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        var problems: [String] = []
        for member in body.members {
            guard let field = schema.field(named: member.key), !field.isReadOnly else { continue }
            let value = member.value
            if value == .null {
                result[field.name] = .null
                continue
            }
            switch (field.type, value) {
            case (.integer, .integer): result[field.name] = value
            case (.integer, .number(let number)) where number == number.rounded():
                result[field.name] = .integer(Int64(number))
            case (.double, .integer(let number)): result[field.name] = .number(Double(number))
            case (.double, .number): result[field.name] = value
            case (.string, .string): result[field.name] = value
            case (.boolean, .bool): result[field.name] = value
            case (.dateTime, .string(let text)):
                guard let date = SandboxDate.parse(text) else {
                    problems.append("Value \(text) for field \(field.name) is not a valid date-time.")
                    continue
                }
                result[field.name] = .string(SandboxDate.format(date))
            default:
                problems.append("Value for field \(field.name) must be of type \(field.type.rawValue).")
                continue
            }
            if let picklist = field.picklist, case .integer(let number)? = result[field.name],
                !picklist.contains(where: { $0.value == String(number) && $0.isActive })
            {
                problems.append("Value \(number) for field \(field.name) is not a valid picklist value.")
            }
        }
        guard problems.isEmpty else { throw .validation(problems) }
        return result
    }

    private func checkReferences(_ record: JSONObject, schema: EntitySchema) throws(SandboxError) {
        for field in schema.fields {
            guard let target = field.reference, let table = tables[target], case .integer(let id)? = record[field.name]
            else { continue }
            if table[id] == nil {
                throw .validation([
                    "Reference value on field: \(field.name) of type: \(target) does not exist or is invalid."
                ])
            }
        }
    }

    private func checkRules(_ record: JSONObject, schema: EntitySchema) throws(SandboxError) {
        for (startName, endName) in [("startDateTime", "endDateTime"), ("startTime", "endTime")] {
            guard case .string(let startText)? = record[startName], case .string(let endText)? = record[endName],
                let start = SandboxDate.parse(startText), let end = SandboxDate.parse(endText)
            else { continue }
            if end < start { throw .validation(["The \(endName) must be after the \(startName)."]) }
        }
        if schema.name == "Tickets", record["assignedResourceID"] != .null, record["assignedResourceRoleID"] == .null {
            throw .validation(["An assigned resource requires an assignedResourceRoleID."])
        }
    }

    /// A record loaded from a seed or state file, completed to the schema's shape.
    private static func normalised(_ record: JSONObject, schema: EntitySchema) -> JSONObject {
        var result = JSONObject()
        result["id"] = record["id"]
        for field in schema.fields where field.name != "id" { result[field.name] = record[field.name] ?? .null }
        result["userDefinedFields"] = record["userDefinedFields"] ?? []
        return result
    }
}
