import Foundation

/// A technician's request for time off; approved ones (status 2) block planning.
public struct TimeOffRequest: AutotaskEntity, Equatable {
    public static let entityName = "TimeOffRequests"

    public var id: Int?
    public var resourceID: Int?
    public var startTime: Date?
    public var endTime: Date?
    public var hours: Double?
    public var requestDate: Date?
    public var status: Int?
    public var timeOffRequestType: Int?
    public var reason: String?
}
