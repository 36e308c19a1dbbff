import Foundation

/// A project task (`Tasks`): work a technician can be given Next Activities for, like a ticket.
public struct ProjectTask: AutotaskEntity, Equatable {
    public static let entityName = "Tasks"

    public var id: Int?
    public var projectID: Int?
    public var title: String?
    public var status: Int?
    public var startDateTime: Date?
    public var endDateTime: Date?
    public var estimatedHours: Double?
    public var remainingHours: Double?
    public var assignedResourceID: Int?
    public var lastActivityDateTime: Date?
}
