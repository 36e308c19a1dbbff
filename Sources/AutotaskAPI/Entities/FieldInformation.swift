/// A field's metadata from `{Entity}/entityInformation/fields`, including picklists such as ticket
/// priorities, whose `sortOrder` (not `value`) ranks them.
public struct FieldInformation: Codable, Sendable, Equatable {
    public var name: String
    public var dataType: String?
    public var isRequired: Bool?
    public var isReadOnly: Bool?
    public var isQueryable: Bool?
    public var isPickList: Bool?
    public var picklistValues: [PickListValue]?
}

/// One choice of a picklist field. `value` is a string on the wire even for integer fields.
public struct PickListValue: Codable, Sendable, Equatable {
    public var value: String
    public var label: String
    public var isDefaultValue: Bool?
    public var sortOrder: Int?
    public var isActive: Bool?
    public var isSystem: Bool?
}

/// The tenant's hourly request budget as Autotask reports it.
public struct ThresholdInformation: Codable, Sendable, Equatable {
    public var externalRequestThreshold: Int
    /// Minutes.
    public var requestThresholdTimeframe: Int
    public var currentTimeframeRequestCount: Int
}

/// Where a tenant's API lives, from zone discovery.
public struct ZoneInformation: Codable, Sendable, Equatable {
    public var zoneName: String?
    /// The API base, ending in `/`: requests go to `{url}V1.0/{Entity}`.
    public var url: String
    public var webUrl: String?
    public var ci: Int?
}
