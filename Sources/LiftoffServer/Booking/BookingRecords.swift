import Fluent
import Foundation

/// A link a dispatcher or technician sends a customer to book one ticket's appointment
/// (docs/booking.md, *Booking links*). The URL carries the id and a signature over it and its
/// expiry (``BookingToken``); the row says what the link books and whether it still works.
final class BookingLinkRecord: Model, @unchecked Sendable {
    static let schema = "booking_links"

    @ID(key: .id) var id: UUID?
    @Field(key: "ticket_id") var ticketID: Int
    @Field(key: "appointment_type_id") var appointmentTypeID: UUID
    /// The technician the customer books with; nil books the ticket's assignee or the type's team.
    @OptionalField(key: "technician_id") var technicianID: Int?
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// Where the link's maker reached Liftoff (`https://host`): the customer's confirmation e-mail links
    /// there unless `LIFTOFF_PUBLIC_URL` is set. Taken from a signed-in request, never the customer's,
    /// so a forged Host header cannot put another site's link into a mail the MSP sends.
    @OptionalField(key: "origin") var origin: String?

    init() {}
}

/// A customer's booking: Liftoff's own fixed appointment (states `open`, `closed`, `canceled`). While
/// open, a `fixed` busy item (`source` `booking:<id>`) puts it in the plan at once.
final class BookingRecord: Model, @unchecked Sendable {
    static let schema = "bookings"

    @ID(key: .id) var id: UUID?
    @Field(key: "link_id") var linkID: UUID
    @Field(key: "appointment_type_id") var appointmentTypeID: UUID
    @Field(key: "ticket_id") var ticketID: Int
    @Field(key: "resource_id") var resourceID: Int
    @Field(key: "start") var start: Date
    @Field(key: "end") var end: Date
    /// `open`, `closed` (it took place) or `canceled`.
    @Field(key: "state") var state: String
    @Field(key: "customer_name") var customerName: String
    @Field(key: "customer_email") var customerEmail: String
    @OptionalField(key: "customer_phone") var customerPhone: String?
    @OptionalField(key: "note") var note: String?
    /// The IANA zone the customer chose to see times in.
    @Field(key: "customer_zone") var customerZone: String
    /// The `.ics` SEQUENCE: counted up on every reschedule and on cancelling.
    @Field(key: "sequence") var sequence: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// One booking-page form sent (book, reschedule, cancel), for the rate limit (``BookingLimit``).
final class BookingAttemptRecord: Model, @unchecked Sendable {
    static let schema = "booking_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "address") var address: String
    @Field(key: "at") var at: Date

    init() {}
}

/// The `booking_links`, `bookings` and `booking_attempts` tables.
struct CreateBookings: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(BookingLinkRecord.schema).id()
            .field("ticket_id", .int, .required)
            .field("appointment_type_id", .uuid, .required)
            .field("technician_id", .int)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .create()
        try await database.schema(BookingRecord.schema).id()
            .field("link_id", .uuid, .required)
            .field("appointment_type_id", .uuid, .required)
            .field("ticket_id", .int, .required)
            .field("resource_id", .int, .required)
            .field("start", .datetime, .required)
            .field("end", .datetime, .required)
            .field("state", .string, .required)
            .field("customer_name", .string, .required)
            .field("customer_email", .string, .required)
            .field("customer_phone", .string)
            .field("note", .string)
            .field("customer_zone", .string, .required)
            .field("sequence", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(BookingAttemptRecord.schema).id()
            .field("address", .string, .required)
            .field("at", .datetime, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        for schema in [BookingAttemptRecord.schema, BookingRecord.schema, BookingLinkRecord.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// The `origin` column of `booking_links`.
struct AddBookingLinkOrigin: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(BookingLinkRecord.schema).field("origin", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(BookingLinkRecord.schema).deleteField("origin").update()
    }
}

/// Slows a script hammering the public booking page: at most `perAddress` forms from one client
/// address within `window` (kept in the Store, so every instance counts the same).
struct BookingLimit: Sendable {
    var window: TimeInterval = 15 * 60
    var perAddress = 30

    /// Counts this attempt; the seconds to wait when the address is over the limit (nothing counted then).
    func attempt(from address: String, now: Date, on database: Database) async throws -> TimeInterval? {
        let since = now.addingTimeInterval(-window)
        let recent = try await BookingAttemptRecord.query(on: database).filter(\.$address == address)
            .filter(\.$at > since).sort(\.$at, .descending).limit(perAddress).all()
        if recent.count >= perAddress, let oldest = recent.last {
            return max(1, window - now.timeIntervalSince(oldest.at))
        }
        let record = BookingAttemptRecord()
        record.address = address
        record.at = now
        try await record.create(on: database)
        try await BookingAttemptRecord.query(on: database).filter(\.$at <= since).delete()
        return nil
    }
}
