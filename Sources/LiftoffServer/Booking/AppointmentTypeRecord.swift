import Fluent
import Foundation

/// An appointment type a customer can book (docs/booking.md). Its rules are kept as the API's JSON
/// (``AppointmentTypeDefinition``), so the page, the API and the Store hold one shape and a new rule
/// needs no new column. A type is archived, never deleted: bookings made with it keep their name.
final class AppointmentTypeRecord: Model, @unchecked Sendable {
    static let schema = "appointment_types"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// ``AppointmentTypeDefinition`` as JSON, checked before it is stored.
    @Field(key: "definition") var definition: String
    @Field(key: "archived") var archived: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// The `appointment_types` table.
struct CreateAppointmentTypes: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AppointmentTypeRecord.schema).id()
            .field("name", .string, .required)
            .field("definition", .string, .required)
            .field("archived", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AppointmentTypeRecord.schema).delete()
    }
}
