import Fluent
import Foundation

/// A person who logs in: an admin, a dispatcher, or a technician linked to an Autotask resource.
final class UserRecord: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    /// Bcrypt hash; the password itself is never stored.
    @Field(key: "password_hash") var passwordHash: String
    /// `admin`, `dispatcher` or `technician`.
    @Field(key: "role") var role: String
    /// The Autotask resource a technician account acts for.
    @OptionalField(key: "resource_id") var resourceID: Int?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// An API token for an integration, acting as the user who made it. Only a SHA-256 hash is kept:
/// the token is shown once, when it is made.
final class APITokenRecord: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    init() {}
}

/// A ticket status change a Workboard action asked for, kept until Autotask has it: the outbox for
/// ticket writes. Setting a status is a PATCH of one value, so repeating it after a crash is safe.
final class TicketUpdateRecord: Model, @unchecked Sendable {
    static let schema = "ticket_updates"

    @ID(key: .id) var id: UUID?
    @Field(key: "ticket_id") var ticketID: Int
    @Field(key: "status") var status: Int
    /// `pending`, `sending` (claimed by a process, ``TicketOutboxWorker``), `done`, `failed` (for good,
    /// with `last_error`), `superseded` (a newer status for the ticket replaced it before it left) or
    /// `withdrawn` (an Undo took it back before it left).
    @Field(key: "state") var state: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    /// Which action by whom, for the audit log.
    @Field(key: "reason") var reason: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// Queues `status` for the ticket. A newer status replaces one still waiting, so statuses never
    /// land out of order; call it inside the transaction that makes the change.
    static func queue(ticketID: Int, status: Int, reason: String, now: Date, on database: Database) async throws
        -> TicketUpdateRecord
    {
        try await TicketUpdateRecord.query(on: database).filter(\.$ticketID == ticketID)
            .filter(\.$state == "pending").set(\.$state, to: "superseded").update()
        let update = TicketUpdateRecord()
        update.ticketID = ticketID
        update.status = status
        update.state = "pending"
        update.attempts = 0
        update.reason = reason
        update.createdAt = now
        try await update.save(on: database)
        return update
    }
}

/// Accounts, API tokens, the ticket-update outbox, Vapor's session table, and the Workboard's columns
/// on Next Activities (why one was declined or cancelled, and when it ended).
struct CreateWorkboardSchema: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(UserRecord.schema).id()
            .field("username", .string, .required).field("display_name", .string, .required)
            .field("password_hash", .string, .required).field("role", .string, .required)
            .field("resource_id", .int).field("created_at", .datetime, .required)
            .unique(on: "username").create()
        try await database.schema(APITokenRecord.schema).id()
            .field("name", .string, .required).field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(UserRecord.schema, "id", onDelete: .cascade))
            .field("created_at", .datetime, .required).field("last_used_at", .datetime)
            .unique(on: "token_hash").create()
        try await database.schema(TicketUpdateRecord.schema).id()
            .field("ticket_id", .int, .required).field("status", .int, .required)
            .field("state", .string, .required).field("attempts", .int, .required).field("last_error", .string)
            .field("reason", .string, .required).field("created_at", .datetime, .required).create()
        // One column per ALTER TABLE: SQLite adds only one at a time.
        try await database.schema(NextActivityRecord.schema).field("reason", .string).update()
        try await database.schema(NextActivityRecord.schema).field("ended_at", .datetime).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(NextActivityRecord.schema).deleteField("reason").update()
        try await database.schema(NextActivityRecord.schema).deleteField("ended_at").update()
        try await database.schema(TicketUpdateRecord.schema).delete()
        try await database.schema(APITokenRecord.schema).delete()
        try await database.schema(UserRecord.schema).delete()
    }
}
