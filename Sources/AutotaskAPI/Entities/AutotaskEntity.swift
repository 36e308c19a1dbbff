/// A record type of Autotask's REST API: where it lives and how it is named on the wire.
///
/// Entities decode only the fields a scheduler needs; Autotask's many others are ignored, and every
/// field but `id` is optional because Autotask returns `null` for anything unset.
public protocol AutotaskEntity: Codable, Sendable {
    /// The entity's name in URLs: `Tickets`, `ServiceCalls`.
    static var entityName: String { get }
    var id: Int? { get }
}

/// An entity that Autotask creates, updates and deletes under a parent's URL
/// (`ServiceCalls/{id}/Tickets`) while querying it at its own root (`ServiceCallTickets/query`).
public protocol AutotaskChildEntity: AutotaskEntity {
    static var parentEntityName: String { get }
    /// The child collection's name under the parent: `Tickets` in `ServiceCalls/{id}/Tickets`.
    static var childCollectionName: String { get }
    var parentID: Int { get }
}
