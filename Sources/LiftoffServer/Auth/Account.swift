import Foundation
import Vapor

/// What a user may do. Technicians act on their own Workboard only; dispatchers see and act on
/// everyone's and change scheduling settings; admins also manage the Autotask connection, users and
/// API tokens.
public enum Role: String, Codable, Sendable, CaseIterable {
    case admin
    case dispatcher
    case technician
}

/// The user a request acts for, from a session cookie or an API token.
struct Account: Authenticatable, Sendable {
    var userID: UUID?
    var username: String
    var displayName: String
    var role: Role
    /// The Autotask resource of a technician account.
    var resourceID: Int?
    /// True when the request carried an API token rather than a session: no CSRF check applies.
    var viaToken: Bool

    init(user: UserRecord, viaToken: Bool) {
        userID = user.id
        username = user.username
        displayName = user.displayName
        role = Role(rawValue: user.role) ?? .technician
        resourceID = user.resourceID
        self.viaToken = viaToken
    }

    init(username: String, displayName: String, role: Role, resourceID: Int?, viaToken: Bool) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.resourceID = resourceID
        self.viaToken = viaToken
    }

    var canSeeEveryone: Bool { role != .technician }
    var canEditScheduling: Bool { role != .technician }
    var isAdmin: Bool { role == .admin }

    func mayActFor(technician resourceID: Int) -> Bool {
        canSeeEveryone || self.resourceID == resourceID
    }
}

extension Request {
    /// The signed-in account; routes behind ``RequireAccount`` always have one.
    func account() throws -> Account {
        guard let account = auth.get(Account.self) else {
            throw Abort(.unauthorized, reason: "log in, or send Authorization: Bearer with an API token")
        }
        return account
    }

    /// Throws 403 unless the account may see and act on this technician's Workboard.
    func requireTechnicianAccess(_ resourceID: Int) throws -> Account {
        let account = try account()
        guard account.mayActFor(technician: resourceID) else {
            throw Abort(.forbidden, reason: "you are not allowed to see another technician's Workboard")
        }
        return account
    }

}
