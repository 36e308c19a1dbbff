import Fluent
import Foundation

/// What one Workboard action changed, kept for the few seconds its Undo is offered: the activity's
/// state before the action and the ticket status it replaced. Kept in the Store, so the Undo works
/// on whichever instance the next request reaches.
final class ActivityUndoRecord: Model, @unchecked Sendable {
    static let schema = "activity_undos"

    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: String
    @Field(key: "action") var action: String
    @Field(key: "username") var username: String
    /// The activity as the action found it.
    @Field(key: "previous_state") var previousState: String
    @OptionalField(key: "previous_started_at") var previousStartedAt: Date?
    @OptionalField(key: "previous_ended_at") var previousEndedAt: Date?
    @OptionalField(key: "previous_reason") var previousReason: String?
    /// The activity as the action left it: Undo applies only while it still is so.
    @Field(key: "new_state") var newState: String
    @OptionalField(key: "new_started_at") var newStartedAt: Date?
    /// The ticket's status before the action queued a new one (nil when none was queued).
    @OptionalField(key: "previous_ticket_status") var previousTicketStatus: Int?
    @OptionalField(key: "ticket_update_id") var ticketUpdateID: UUID?
    @Field(key: "expires_at") var expiresAt: Date
    /// Set once the Undo has been used, so a second click does nothing twice.
    @OptionalField(key: "undone_at") var undoneAt: Date?

    init() {}
}

/// The `activity_undos` table.
struct CreateActivityUndos: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ActivityUndoRecord.schema).id()
            .field("activity_id", .string, .required)
            .field("action", .string, .required)
            .field("username", .string, .required)
            .field("previous_state", .string, .required)
            .field("previous_started_at", .datetime)
            .field("previous_ended_at", .datetime)
            .field("previous_reason", .string)
            .field("new_state", .string, .required)
            .field("new_started_at", .datetime)
            .field("previous_ticket_status", .int)
            .field("ticket_update_id", .uuid)
            .field("expires_at", .datetime, .required)
            .field("undone_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ActivityUndoRecord.schema).delete()
    }
}
