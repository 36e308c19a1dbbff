/// A customer of the MSP.
public struct Company: AutotaskEntity, Equatable {
    public static let entityName = "Companies"

    public var id: Int?
    public var companyName: String?
    public var isActive: Bool?
}
