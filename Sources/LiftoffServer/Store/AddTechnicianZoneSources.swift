import Fluent

/// Keeps what the import understood about each technician's zone and hours beside what an admin set
/// by hand, and why a technician needs attention (docs/sync.md, *Time zones and needs attention*);
/// and when a ticket was last handed to its assignee, so reopened or handed-back work is planned again.
struct AddTechnicianZoneSources: AsyncMigration {
    static let columns = [
        "imported_time_zone", "zone_source", "imported_work_schedule", "zone_override", "hours_override", "attention",
    ]

    func prepare(on database: Database) async throws {
        // One column per ALTER TABLE: SQLite adds only one at a time.
        for column in Self.columns {
            try await database.schema(TechnicianRecord.schema).field(.string(column), .string).update()
        }
        try await database.schema(TicketRecord.schema).field("assigned_at", .datetime).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(TicketRecord.schema).deleteField("assigned_at").update()
        for column in Self.columns {
            try await database.schema(TechnicianRecord.schema).deleteField(.string(column)).update()
        }
    }
}
