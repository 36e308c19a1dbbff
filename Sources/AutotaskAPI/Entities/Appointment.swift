import Foundation

/// A calendar event on a resource's Autotask calendar — what Exchange events (Calendly and FindTime
/// bookings, ordinary meetings) become. Autotask keeps no free/busy flag on it.
public struct Appointment: AutotaskEntity, Equatable {
    public static let entityName = "Appointments"

    public var id: Int?
    public var resourceID: Int?
    public var startDateTime: Date?
    public var endDateTime: Date?
    public var title: String?
    public var description: String?
    public var createDateTime: Date?
    public var creatorResourceID: Int?
    public var updateDateTime: Date?

    public init(
        id: Int? = nil, resourceID: Int? = nil, startDateTime: Date? = nil, endDateTime: Date? = nil,
        title: String? = nil, description: String? = nil, createDateTime: Date? = nil, creatorResourceID: Int? = nil,
        updateDateTime: Date? = nil
    ) {
        self.id = id
        self.resourceID = resourceID
        self.startDateTime = startDateTime
        self.endDateTime = endDateTime
        self.title = title
        self.description = description
        self.createDateTime = createDateTime
        self.creatorResourceID = creatorResourceID
        self.updateDateTime = updateDateTime
    }
}
