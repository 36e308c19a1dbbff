/// Who works a ticket queue: one resource, in one role, on one queue. Liftoff reads these to offer an
/// Autotask queue as a booking team (docs/booking.md, *Appointment types*). The documented fields are
/// `id, queueID, resourceID`; `roleID` and `isActive` are read when a tenant sends them (a row with
/// `isActive` false is not a member).
public struct ResourceRoleQueue: AutotaskEntity, Equatable {
    public static let entityName = "ResourceRoleQueues"

    public var id: Int?
    public var queueID: Int?
    public var resourceID: Int?
    public var roleID: Int?
    public var isActive: Bool?

    public init(id: Int? = nil, queueID: Int?, resourceID: Int?, roleID: Int? = nil, isActive: Bool? = nil) {
        self.id = id
        self.queueID = queueID
        self.resourceID = resourceID
        self.roleID = roleID
        self.isActive = isActive
    }
}
