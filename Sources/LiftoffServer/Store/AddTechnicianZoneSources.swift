import Fluent

/// Keeps what the import understood about each technician's zone and hours beside what an admin set
/// by hand, and why a technician needs attention (docs/sync.md, *Time zones and needs attention*).
struct AddTechnicianZoneSources: AsyncMigration {
    static let columns = [
        "imported_time_zone", "zone_source", "imported_work_schedule", "zone_override", "hours_override", "attention",
    ]

    func prepare(on database: Database) async throws {
        // One column per ALTER TABLE: SQLite adds only one at a time.
        for column in Self.columns {
            try await database.schema(TechnicianRecord.schema).field(.string(column), .string).update()
        }
    }

    func revert(on database: Database) async throws {
        for column in Self.columns {
            try await database.schema(TechnicianRecord.schema).deleteField(.string(column)).update()
        }
    }
}
