import Foundation

/// A named set of holidays an internal location observes.
public struct HolidaySet: AutotaskEntity, Equatable {
    public static let entityName = "HolidaySets"

    public var id: Int?
    public var holidaySetName: String?
    public var holidaySetDescription: String?
}

/// One holiday; created under `HolidaySets/{id}/Holidays`. `holidayDate` is a calendar date.
public struct Holiday: AutotaskChildEntity, Equatable {
    public static let entityName = "Holidays"
    public static let parentEntityName = "HolidaySets"
    public static let childCollectionName = "Holidays"

    public var id: Int?
    public var holidaySetID: Int
    public var holidayDate: Date?
    public var holidayName: String?
    public var parentID: Int { holidaySetID }

    public init(id: Int? = nil, holidaySetID: Int, holidayDate: Date? = nil, holidayName: String? = nil) {
        self.id = id
        self.holidaySetID = holidaySetID
        self.holidayDate = holidayDate
        self.holidayName = holidayName
    }
}
