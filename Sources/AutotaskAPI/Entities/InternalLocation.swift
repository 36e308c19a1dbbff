import Foundation

/// An office: its time zone and holiday set apply to the resources located there.
public struct InternalLocation: AutotaskEntity, Equatable {
    public static let entityName = "InternalLocations"

    public var id: Int?
    public var name: String?
    public var isDefault: Bool?
    /// Spelled with a lower-case `d` on this entity.
    public var holidaySetId: Int?
    /// The Microsoft time-zone index, as a string.
    public var timeZone: String?
}

/// An office with its business hours: the source of a technician's default work schedule.
///
/// Each `…BusinessHoursStartTime/EndTime` is a date-time whose time of day is the local business
/// hour; `nil` means closed that day. `timeZoneID` is a picklist value whose label names a Windows
/// time zone ("Eastern Standard Time").
public struct InternalLocationWithBusinessHours: AutotaskEntity, Equatable {
    public static let entityName = "InternalLocationWithBusinessHours"

    public var id: Int?
    public var name: String?
    public var isDefault: Bool?
    public var holidaySetID: Int?
    public var timeZoneID: Int?
    public var noHoursOnHolidays: Bool?
    public var mondayBusinessHoursStartTime: Date?
    public var mondayBusinessHoursEndTime: Date?
    public var tuesdayBusinessHoursStartTime: Date?
    public var tuesdayBusinessHoursEndTime: Date?
    public var wednesdayBusinessHoursStartTime: Date?
    public var wednesdayBusinessHoursEndTime: Date?
    public var thursdayBusinessHoursStartTime: Date?
    public var thursdayBusinessHoursEndTime: Date?
    public var fridayBusinessHoursStartTime: Date?
    public var fridayBusinessHoursEndTime: Date?
    public var saturdayBusinessHoursStartTime: Date?
    public var saturdayBusinessHoursEndTime: Date?
    public var sundayBusinessHoursStartTime: Date?
    public var sundayBusinessHoursEndTime: Date?
}
