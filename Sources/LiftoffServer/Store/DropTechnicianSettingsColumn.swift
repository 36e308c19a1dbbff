import Fluent

/// Drops `technicians.settings`, which nothing wrote: overrides live in the `settings` table, and a
/// second place the problem builder preferred could only ever hide them.
struct DropTechnicianSettingsColumn: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(TechnicianRecord.schema).deleteField("settings").update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(TechnicianRecord.schema).field("settings", .string).update()
    }
}
