import Foundation

/// A service ticket: the work Liftoff plans Next Activities for.
public struct Ticket: AutotaskEntity, Equatable {
    public static let entityName = "Tickets"

    public var id: Int?
    public var ticketNumber: String?
    public var title: String?
    public var description: String?
    public var status: Int?
    public var priority: Int?
    public var queueID: Int?
    public var assignedResourceID: Int?
    public var assignedResourceRoleID: Int?
    public var companyID: Int?
    public var createDate: Date?
    public var dueDateTime: Date?
    public var estimatedHours: Double?
    public var lastActivityDate: Date?
    public var completedDate: Date?
    public var serviceLevelAgreementID: Int?

    public init(
        id: Int? = nil, ticketNumber: String? = nil, title: String? = nil, description: String? = nil,
        status: Int? = nil, priority: Int? = nil, queueID: Int? = nil, assignedResourceID: Int? = nil,
        assignedResourceRoleID: Int? = nil, companyID: Int? = nil, createDate: Date? = nil, dueDateTime: Date? = nil,
        estimatedHours: Double? = nil, lastActivityDate: Date? = nil, completedDate: Date? = nil,
        serviceLevelAgreementID: Int? = nil
    ) {
        self.id = id
        self.ticketNumber = ticketNumber
        self.title = title
        self.description = description
        self.status = status
        self.priority = priority
        self.queueID = queueID
        self.assignedResourceID = assignedResourceID
        self.assignedResourceRoleID = assignedResourceRoleID
        self.companyID = companyID
        self.createDate = createDate
        self.dueDateTime = dueDateTime
        self.estimatedHours = estimatedHours
        self.lastActivityDate = lastActivityDate
        self.completedDate = completedDate
        self.serviceLevelAgreementID = serviceLevelAgreementID
    }
}
