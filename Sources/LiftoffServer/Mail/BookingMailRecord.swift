import Fluent
import Foundation

/// One confirmation e-mail to send (docs/booking.md, *Confirmation e-mail*): queued in the same
/// transaction as the booking change it tells of, so none is lost and none is sent for a change that
/// did not happen. The text is composed when it is sent, from the booking as it is then.
///
/// `state`: `pending` → `sending` (claimed by one instance until `claim_expires_ms`, by the database's
/// clock) → `sent`; or `failed` (the relay refused it, or it could not be sent within a day),
/// `superseded` (a newer change of the same booking for the same recipient was queued before it
/// went out, or while its send failed), `expired` (it waited longer than a day — Liftoff had no relay
/// then), `skipped` (nobody to send it to: no usable address).
final class BookingMailRecord: Model, @unchecked Sendable {
    static let schema = "booking_mails"

    @ID(key: .id) var id: UUID?
    @Field(key: "booking_id") var bookingID: UUID
    /// `customer` or `technician`.
    @Field(key: "recipient") var recipient: String
    /// `booked`, `moved` or `canceled`.
    @Field(key: "event") var event: String
    /// The technician a `technician` mail goes to: the booking's, or the one it was taken from when a
    /// move gave it to another (who is told it is no longer theirs).
    @OptionalField(key: "technician_id") var technicianID: Int?
    @Field(key: "state") var state: String
    @Field(key: "attempts") var attempts: Int
    /// Not tried again before this (the back-off after a failure).
    @Field(key: "not_before") var notBefore: Date
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "claim_expires_ms") var claimExpiresMs: Int64?

    init() {}
}

/// The `booking_mails` table.
struct CreateBookingMails: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(BookingMailRecord.schema).id()
            .field("booking_id", .uuid, .required)
            .field("recipient", .string, .required)
            .field("event", .string, .required)
            .field("technician_id", .int)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("not_before", .datetime, .required)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("claim_expires_ms", .int64)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(BookingMailRecord.schema).delete()
    }
}
