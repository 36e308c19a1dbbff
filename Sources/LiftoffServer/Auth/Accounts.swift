import Fluent
import Foundation
import Logging
import Vapor

/// Making and checking accounts.
enum Accounts {
    /// The first start of an empty Store makes an `admin` account, so someone can log in at all.
    /// Its password is the configured one, or a random one written once to the log.
    static func bootstrap(on database: Database, adminPassword: String?, now: Date, logger: Logger) async throws {
        guard try await UserRecord.query(on: database).count() == 0 else { return }
        let password = adminPassword ?? CSRF.randomToken(bytes: 9)
        _ = try await create(
            username: "admin", displayName: "Administrator", password: password, role: .admin, resourceID: nil,
            now: now, on: database)
        if adminPassword == nil {
            logger.notice(
                "created the first account; log in and change its password in Settings",
                metadata: ["username": "admin", "password": "\(password)"])
        }
    }

    static func create(
        username rawUsername: String, displayName: String, password: String, role: Role, resourceID: Int?,
        now: Date, on database: Database
    ) async throws -> UserRecord {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        guard username.range(of: "^[a-z0-9._@-]{2,64}$", options: .regularExpression) != nil else {
            throw Abort(
                .badRequest,
                reason: "user name \"\(rawUsername)\" must be 2–64 letters, digits or . _ @ - without spaces")
        }
        try PasswordPolicy.check(password)
        if role == .technician {
            guard let resourceID,
                try await TechnicianRecord.query(on: database).filter(\.$resourceID == resourceID).first() != nil
            else {
                throw Abort(
                    .badRequest, reason: "a technician account needs the Autotask resource id of an imported technician"
                )
            }
        }
        guard try await UserRecord.query(on: database).filter(\.$username == username).first() == nil else {
            throw Abort(.conflict, reason: "there is already a user named \(username)")
        }
        let user = UserRecord()
        user.username = username
        user.displayName = displayName.isEmpty ? username : displayName
        user.passwordHash = try await hash(password)
        user.role = role.rawValue
        user.resourceID = role == .technician ? resourceID : nil
        user.createdAt = now
        try await user.save(on: database)
        return user
    }

    /// The user with this name and password, or nil. Always spends one hash check, so timing does
    /// not tell whether the user exists.
    static func verify(username: String, password: String, on database: Database) async throws -> UserRecord? {
        let user = try await UserRecord.query(on: database)
            .filter(\.$username == username.trimmingCharacters(in: .whitespaces).lowercased()).first()
        let hash = user?.passwordHash ?? dummyHash
        // Beyond 72 bytes bcrypt would compare only the start: such a password is never set, so it
        // never matches (the hash is still checked, so the answer takes as long as any other).
        let tried = PasswordPolicy.mayMatch(password) ? password : "never a password"
        let matches = (try? await NIOThreadPool.singleton.runIfActive { try Bcrypt.verify(tried, created: hash) })
        return matches == true && PasswordPolicy.mayMatch(password) ? user : nil
    }

    /// A bcrypt hash, worked out on the thread pool: hashing takes tens of milliseconds, which must
    /// not stall the event loops serving everyone else.
    static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try Bcrypt.hash(password, cost: 10) }
    }

    /// Sets a user's password from the server's command line (`liftoff admin reset-password`), the
    /// recovery path that needs no working login: every session of the user signs out and their login
    /// locks lift. Routes go through ``PasswordChange``, which asks who is changing it.
    static func reset(username: String, to password: String, on database: Database) async throws {
        guard
            let user = try await UserRecord.query(on: database)
                .filter(\.$username == LoginLimit.name(username)).first()
        else { throw Abort(.notFound, reason: "no user named \(username)") }
        try PasswordPolicy.check(password)
        user.passwordHash = try await hash(password)
        try await user.save(on: database)
        try await LoginLimit().lift(username: user.username, on: database)
    }

    /// Removes an account and its API tokens; the last admin stays, so someone can still sign in.
    static func remove(username: String, by account: Account, on database: Database) async throws {
        guard let user = try await UserRecord.query(on: database).filter(\.$username == username.lowercased()).first()
        else { throw Abort(.notFound, reason: "no user named \(username)") }
        guard user.id != account.userID else {
            throw Abort(.badRequest, reason: "you cannot remove your own account; ask another admin")
        }
        if user.role == Role.admin.rawValue,
            try await UserRecord.query(on: database).filter(\.$role == Role.admin.rawValue).count() <= 1
        {
            throw Abort(.badRequest, reason: "\(username) is the last admin; make another admin first")
        }
        try await user.delete(on: database)
    }

    /// Checked when the user does not exist, so a miss costs as long as a wrong password.
    private static let dummyHash = (try? Bcrypt.hash("no such user", cost: 10)) ?? ""

    /// A new API token for `user`: the token text (shown once) and its record.
    static func makeToken(named name: String, for user: UUID, now: Date, on database: Database) async throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...80).contains(trimmed.count) else {
            throw Abort(
                .badRequest, reason: "give the token a name of 1–80 characters, such as the integration using it")
        }
        let token = "lft_" + CSRF.randomToken(bytes: 24)
        let record = APITokenRecord()
        record.name = trimmed
        record.tokenHash = AccountMiddleware.hash(token)
        record.userID = user
        record.createdAt = now
        try await record.save(on: database)
        return token
    }
}
