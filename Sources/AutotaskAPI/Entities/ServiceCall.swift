import Foundation

/// A scheduled visit or block of work on the PSA calendar. Liftoff writes one per calendar-plan
/// block (with its marker in `description`); TimeZest and others write their own.
public struct ServiceCall: AutotaskEntity, Equatable {
    public static let entityName = "ServiceCalls"

    public var id: Int?
    public var companyID: Int?
    public var companyLocationID: Int?
    public var description: String?
    public var startDateTime: Date?
    public var endDateTime: Date?
    /// Hours.
    public var duration: Double?
    public var status: Int?
    /// 0 or 1 on the wire.
    public var isComplete: Int?
    public var createDateTime: Date?
    public var creatorResourceID: Int?
    public var lastModifiedDateTime: Date?
    public var canceledDateTime: Date?
    public var canceledByResourceID: Int?

    public init(
        id: Int? = nil, companyID: Int? = nil, companyLocationID: Int? = nil, description: String? = nil,
        startDateTime: Date? = nil, endDateTime: Date? = nil, duration: Double? = nil, status: Int? = nil,
        isComplete: Int? = nil, createDateTime: Date? = nil, creatorResourceID: Int? = nil,
        lastModifiedDateTime: Date? = nil, canceledDateTime: Date? = nil, canceledByResourceID: Int? = nil
    ) {
        self.id = id
        self.companyID = companyID
        self.companyLocationID = companyLocationID
        self.description = description
        self.startDateTime = startDateTime
        self.endDateTime = endDateTime
        self.duration = duration
        self.status = status
        self.isComplete = isComplete
        self.createDateTime = createDateTime
        self.creatorResourceID = creatorResourceID
        self.lastModifiedDateTime = lastModifiedDateTime
        self.canceledDateTime = canceledDateTime
        self.canceledByResourceID = canceledByResourceID
    }
}

/// Links a service call to a ticket; created under `ServiceCalls/{id}/Tickets`.
public struct ServiceCallTicket: AutotaskChildEntity, Equatable {
    public static let entityName = "ServiceCallTickets"
    public static let parentEntityName = "ServiceCalls"
    public static let childCollectionName = "Tickets"

    public var id: Int?
    public var serviceCallID: Int
    public var ticketID: Int
    public var parentID: Int { serviceCallID }

    public init(id: Int? = nil, serviceCallID: Int, ticketID: Int) {
        self.id = id
        self.serviceCallID = serviceCallID
        self.ticketID = ticketID
    }
}

/// Puts a resource on a service call's ticket; created under `ServiceCallTickets/{id}/Resources`.
public struct ServiceCallTicketResource: AutotaskChildEntity, Equatable {
    public static let entityName = "ServiceCallTicketResources"
    public static let parentEntityName = "ServiceCallTickets"
    public static let childCollectionName = "Resources"

    public var id: Int?
    public var serviceCallTicketID: Int
    public var resourceID: Int
    public var parentID: Int { serviceCallTicketID }

    public init(id: Int? = nil, serviceCallTicketID: Int, resourceID: Int) {
        self.id = id
        self.serviceCallTicketID = serviceCallTicketID
        self.resourceID = resourceID
    }
}
