/// The entities the sandbox serves, with the fields, picklists and capabilities of
/// docs/autotask.md (§5.2's method matrix and §7's field lists).
enum SandboxCatalog {
    typealias Field = EntitySchema.Field

    static let ticketPriorities: [PickList.Value] = [
        .init(value: "4", label: "Critical", sortOrder: 1), .init(value: "1", label: "High", sortOrder: 2),
        .init(value: "2", label: "Medium", sortOrder: 3, isDefault: true),
        .init(value: "3", label: "Low", sortOrder: 4),
    ]
    static let ticketStatuses: [PickList.Value] = [
        .init(value: "1", label: "New", sortOrder: 1, isDefault: true),
        .init(value: "8", label: "In Progress", sortOrder: 2),
        .init(value: "7", label: "Waiting Customer", sortOrder: 3),
        .init(value: "10", label: "Dispatched", sortOrder: 4),
        .init(value: "5", label: "Complete", sortOrder: 5),
    ]
    static let queues: [PickList.Value] = [
        .init(value: "29683354", label: "Service Desk", sortOrder: 1),
        .init(value: "29683355", label: "Monitoring Alerts", sortOrder: 2),
        .init(value: "29683356", label: "Projects Intake", sortOrder: 3),
    ]
    static let serviceCallStatuses: [PickList.Value] = [
        .init(value: "1", label: "New", sortOrder: 1, isDefault: true),
        .init(value: "2", label: "Complete", sortOrder: 2),
        .init(value: "4", label: "Canceled", sortOrder: 3),
    ]
    /// The `timeZoneID` picklist values and the Windows zone each stands for; the label shows the zone
    /// in the server's ``ZoneLabelForm``.
    static let timeZoneChoices: [(value: String, windowsID: String)] = [
        ("8", "Pacific Standard Time"), ("9", "Mountain Standard Time"), ("10", "Central Standard Time"),
        ("11", "Eastern Standard Time"), ("40", "GMT Standard Time"), ("46", "W. Europe Standard Time"),
        ("60", "India Standard Time"), ("61", "Nepal Standard Time"), ("70", "AUS Eastern Standard Time"),
        ("71", "Lord Howe Standard Time"), ("80", "Chatham Islands Standard Time"), ("1", "UTC"),
    ]

    /// The `timeZoneID` picklist with labels in `form`.
    static func timeZonePicklist(_ form: ZoneLabelForm) -> [PickList.Value] {
        timeZoneChoices.enumerated().map {
            PickList.Value(value: $1.value, label: form.label(windowsID: $1.windowsID), sortOrder: $0 + 1)
        }
    }

    /// `schema`'s fields as `entityInformation/fields` serves them: the `timeZoneID` picklist labelled in
    /// `zoneLabels` (writes check values only, which are the same in every form).
    static func fields(of schema: EntitySchema, zoneLabels: ZoneLabelForm) -> [Field] {
        guard schema.name == "InternalLocationWithBusinessHours" else { return schema.fields }
        return schema.fields.map { field in
            guard field.name == "timeZoneID" else { return field }
            var labelled = field
            labelled.picklist = timeZonePicklist(zoneLabels)
            return labelled
        }
    }
    static let timeOffStatuses: [PickList.Value] = [
        .init(value: "1", label: "Waiting Approval", sortOrder: 1), .init(value: "2", label: "Approved", sortOrder: 2),
        .init(value: "3", label: "Rejected", sortOrder: 3),
    ]

    static let entities: [EntitySchema] = [
        EntitySchema(
            name: "Tickets",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "ticketNumber", type: .string, isReadOnly: true),
                Field(name: "title", type: .string, isRequired: true),
                Field(name: "description", type: .string),
                Field(name: "status", type: .integer, isRequired: true, picklist: ticketStatuses),
                Field(name: "priority", type: .integer, isRequired: true, picklist: ticketPriorities),
                Field(name: "queueID", type: .integer, picklist: queues),
                Field(name: "assignedResourceID", type: .integer, reference: "Resources"),
                Field(name: "assignedResourceRoleID", type: .integer),
                Field(name: "companyID", type: .integer, isRequired: true, reference: "Companies"),
                Field(name: "createDate", type: .dateTime, isReadOnly: true),
                Field(name: "dueDateTime", type: .dateTime),
                Field(name: "estimatedHours", type: .double),
                Field(name: "lastActivityDate", type: .dateTime, isReadOnly: true),
                Field(name: "completedDate", type: .dateTime),
                Field(name: "serviceLevelAgreementID", type: .integer),
                Field(name: "ticketType", type: .integer),
            ],
            canCreate: true, canUpdate: true),
        EntitySchema(
            name: "ServiceCalls",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "companyID", type: .integer, isRequired: true, reference: "Companies"),
                Field(name: "companyLocationID", type: .integer),
                Field(name: "description", type: .string),
                Field(name: "startDateTime", type: .dateTime, isRequired: true),
                Field(name: "endDateTime", type: .dateTime, isRequired: true),
                Field(name: "duration", type: .double),
                Field(name: "status", type: .integer, picklist: serviceCallStatuses),
                Field(name: "isComplete", type: .integer),
                Field(name: "createDateTime", type: .dateTime, isReadOnly: true),
                Field(name: "creatorResourceID", type: .integer),
                Field(name: "lastModifiedDateTime", type: .dateTime, isReadOnly: true),
                Field(name: "canceledDateTime", type: .dateTime),
                Field(name: "canceledByResourceID", type: .integer),
                Field(name: "cancelationNoticeHours", type: .double),
            ],
            canCreate: true, canUpdate: true, canDelete: true),
        EntitySchema(
            name: "ServiceCallTickets",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "serviceCallID", type: .integer, isRequired: true, reference: "ServiceCalls"),
                Field(name: "ticketID", type: .integer, isRequired: true, reference: "Tickets"),
            ],
            canCreate: true, canDelete: true,
            parent: .init(parent: "ServiceCalls", collection: "Tickets", field: "serviceCallID")),
        EntitySchema(
            name: "ServiceCallTicketResources",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "serviceCallTicketID", type: .integer, isRequired: true, reference: "ServiceCallTickets"),
                Field(name: "resourceID", type: .integer, isRequired: true, reference: "Resources"),
            ],
            canCreate: true, canDelete: true,
            parent: .init(parent: "ServiceCallTickets", collection: "Resources", field: "serviceCallTicketID")),
        EntitySchema(
            name: "Appointments",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "resourceID", type: .integer, isRequired: true, reference: "Resources"),
                Field(name: "startDateTime", type: .dateTime, isRequired: true),
                Field(name: "endDateTime", type: .dateTime, isRequired: true),
                Field(name: "title", type: .string, isRequired: true),
                Field(name: "description", type: .string),
                Field(name: "createDateTime", type: .dateTime, isReadOnly: true),
                Field(name: "creatorResourceID", type: .integer),
                Field(name: "updateDateTime", type: .dateTime, isReadOnly: true),
            ],
            canCreate: true, canUpdate: true, canDelete: true),
        EntitySchema(
            name: "Resources",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "firstName", type: .string, isRequired: true),
                Field(name: "lastName", type: .string, isRequired: true),
                Field(name: "email", type: .string, isRequired: true),
                Field(name: "userName", type: .string),
                Field(name: "isActive", type: .boolean, isRequired: true),
                Field(name: "locationID", type: .integer, isRequired: true, reference: "InternalLocations"),
                Field(name: "resourceType", type: .string),
                Field(name: "licenseType", type: .integer),
                Field(name: "defaultServiceDeskRoleID", type: .integer),
            ],
            canUpdate: true),
        EntitySchema(
            name: "ResourceRoleQueues",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "queueID", type: .integer, isRequired: true, picklist: queues),
                Field(name: "resourceID", type: .integer, isRequired: true, reference: "Resources"),
                Field(name: "roleID", type: .integer, isRequired: true),
                Field(name: "isActive", type: .boolean),
            ]),
        EntitySchema(
            name: "InternalLocations",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true), Field(name: "name", type: .string),
                Field(name: "isDefault", type: .boolean), Field(name: "holidaySetId", type: .integer),
                Field(name: "timeZone", type: .string),
            ]),
        EntitySchema(
            name: "InternalLocationWithBusinessHours",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "name", type: .string, isRequired: true),
                Field(name: "isDefault", type: .boolean),
                Field(name: "holidaySetID", type: .integer, reference: "HolidaySets"),
                Field(name: "timeZoneID", type: .integer, isRequired: true, picklist: timeZonePicklist(.display)),
                Field(name: "dateFormat", type: .string, isRequired: true),
                Field(name: "timeFormat", type: .string, isRequired: true),
                Field(name: "numberFormat", type: .string, isRequired: true),
                Field(name: "firstDayOfWeek", type: .integer),
                Field(name: "holidayHoursType", type: .integer),
                Field(name: "noHoursOnHolidays", type: .boolean),
            ]
                + ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "holiday"].flatMap {
                    day in
                    [
                        "BusinessHoursStartTime", "BusinessHoursEndTime", "ExtendedHoursStartTime",
                        "ExtendedHoursEndTime",
                    ].map {
                        Field(name: day + $0, type: .dateTime)
                    }
                },
            canCreate: true, canUpdate: true),
        EntitySchema(
            name: "HolidaySets",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "holidaySetName", type: .string, isRequired: true),
                Field(name: "holidaySetDescription", type: .string),
            ],
            canCreate: true, canUpdate: true, canDelete: true),
        EntitySchema(
            name: "Holidays",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "holidaySetID", type: .integer, isRequired: true, reference: "HolidaySets"),
                Field(name: "holidayDate", type: .dateTime, isRequired: true),
                Field(name: "holidayName", type: .string, isRequired: true),
            ],
            canCreate: true, canUpdate: true, canDelete: true,
            parent: .init(parent: "HolidaySets", collection: "Holidays", field: "holidaySetID")),
        EntitySchema(
            name: "TimeOffRequests",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "resourceID", type: .integer, isRequired: true, reference: "Resources"),
                Field(name: "startTime", type: .dateTime, isRequired: true),
                Field(name: "endTime", type: .dateTime, isRequired: true),
                Field(name: "hours", type: .double),
                Field(name: "requestDate", type: .dateTime),
                Field(name: "status", type: .integer, picklist: timeOffStatuses),
                Field(name: "timeOffRequestType", type: .integer),
                Field(name: "reason", type: .string),
                Field(name: "lastModifiedDateTime", type: .dateTime, isReadOnly: true),
            ],
            canCreate: true, canUpdate: true,
            parent: .init(parent: "Resources", collection: "TimeOffRequests", field: "resourceID")),
        EntitySchema(
            name: "Tasks",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "projectID", type: .integer, isRequired: true),
                Field(name: "title", type: .string, isRequired: true),
                Field(name: "status", type: .integer, isRequired: true),
                Field(name: "taskType", type: .integer),
                Field(name: "startDateTime", type: .dateTime), Field(name: "endDateTime", type: .dateTime),
                Field(name: "estimatedHours", type: .double), Field(name: "remainingHours", type: .double),
                Field(name: "assignedResourceID", type: .integer, reference: "Resources"),
                Field(name: "lastActivityDateTime", type: .dateTime, isReadOnly: true),
            ],
            canCreate: true, canUpdate: true,
            parent: .init(parent: "Projects", collection: "Tasks", field: "projectID")),
        EntitySchema(
            name: "Companies",
            fields: [
                Field(name: "id", type: .integer, isReadOnly: true),
                Field(name: "companyName", type: .string, isRequired: true),
                Field(name: "companyType", type: .integer),
                Field(name: "isActive", type: .boolean),
                Field(name: "phone", type: .string), Field(name: "city", type: .string),
            ],
            canCreate: true, canUpdate: true),
    ]

    /// The schema of `name` in any letter case.
    static func entity(named name: String) -> EntitySchema? {
        let lower = name.lowercased()
        return entities.first { $0.name.lowercased() == lower }
    }

    /// The child entity created at `{parent}/{id}/{collection}`.
    static func child(parent: String, collection: String) -> EntitySchema? {
        entities.first {
            $0.parent?.parent.lowercased() == parent.lowercased()
                && $0.parent?.collection.lowercased() == collection.lowercased()
        }
    }

    /// Fields the sandbox stamps itself when a record is written: change cursors for incremental sync.
    static func stampedFields(of entity: String) -> (created: String?, modified: String?) {
        switch entity {
        case "Tickets": return ("createDate", "lastActivityDate")
        case "ServiceCalls": return ("createDateTime", "lastModifiedDateTime")
        case "Appointments": return ("createDateTime", "updateDateTime")
        case "TimeOffRequests": return (nil, "lastModifiedDateTime")
        case "Tasks": return (nil, "lastActivityDateTime")
        default: return (nil, nil)
        }
    }
}
