import LiftoffCore

/// What the sandbox knows about one Autotask entity: its fields and what may be done with it.
struct EntitySchema: Sendable {
    enum FieldType: String, Sendable {
        case integer, double, string, boolean, dateTime
    }

    struct Field: Sendable {
        let name: String
        let type: FieldType
        var isRequired = false
        var isReadOnly = false
        var picklist: [PickList.Value]? = nil
        /// The entity an id field must point at, checked on writes.
        var reference: String? = nil
    }

    /// Where a child entity is created, updated and deleted: `{parent}/{parentId}/{collection}`.
    struct ParentLink: Sendable {
        let parent: String
        let collection: String
        /// The field holding the parent's id (`serviceCallID`).
        let field: String
    }

    let name: String
    let fields: [Field]
    var canCreate = false
    var canUpdate = false
    var canDelete = false
    var parent: ParentLink? = nil

    /// The field named `name` in any letter case, as Autotask matches them.
    func field(named name: String) -> Field? {
        let lower = name.lowercased()
        return fields.first { $0.name.lowercased() == lower }
    }
}

/// A picklist as `entityInformation/fields` serves it.
enum PickList {
    struct Value: Sendable {
        let value: String
        let label: String
        let sortOrder: Int
        var isActive = true
        var isDefault = false

        var json: JSONValue {
            [
                "value": .string(value), "label": .string(label), "isDefaultValue": .bool(isDefault),
                "sortOrder": .integer(Int64(sortOrder)), "parentValue": "", "isActive": .bool(isActive),
                "isSystem": true,
            ]
        }
    }
}
