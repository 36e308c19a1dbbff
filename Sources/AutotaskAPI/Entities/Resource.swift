/// A person in Autotask: technicians are resources, and so is the API user.
public struct Resource: AutotaskEntity, Equatable {
    public static let entityName = "Resources"

    public var id: Int?
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var userName: String?
    public var isActive: Bool?
    /// The internal location, which gives the time zone and holiday set.
    public var locationID: Int?
    public var resourceType: String?
    public var defaultServiceDeskRoleID: Int?

    public init(
        id: Int? = nil, firstName: String? = nil, lastName: String? = nil, email: String? = nil,
        userName: String? = nil, isActive: Bool? = nil, locationID: Int? = nil, resourceType: String? = nil,
        defaultServiceDeskRoleID: Int? = nil
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.userName = userName
        self.isActive = isActive
        self.locationID = locationID
        self.resourceType = resourceType
        self.defaultServiceDeskRoleID = defaultServiceDeskRoleID
    }
}
