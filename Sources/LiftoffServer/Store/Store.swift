import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

extension Application {
    /// Opens the Store at `location` and brings its schema up to date.
    public func openStore(_ location: DatabaseLocation) async throws {
        switch location {
        case .sqliteMemory: databases.use(.sqlite(.memory), as: .sqlite)
        case .sqliteFile(let path): databases.use(.sqlite(.file(path)), as: .sqlite)
        case .postgres(let url): databases.use(try .postgres(url: url), as: .psql)
        }
        migrations.add(CreateSchema())
        migrations.add(CreateWorkboardSchema())
        migrations.add(SessionRecord.migration)
        migrations.add(AddTechnicianZoneSources())
        migrations.add(CreateLoginFailures())
        migrations.add(DropTechnicianSettingsColumn())
        migrations.add(CreateReflowLeases())
        migrations.add(CreateActivityUndos())
        migrations.add(AddTicketUpdateClaims())
        migrations.add(AddPlanningIndexes())
        migrations.add(CreateAppointmentTypes())
        migrations.add(CreateBookings())
        migrations.add(CreateFeedEvents())
        migrations.add(CreateBookingMails())
        migrations.add(AddBookingLinkOrigin())
        try await autoMigrate()
        if case .sqliteFile = location, let sql = db as? any SQLDatabase {
            // Write-ahead logging: readers never wait for the writer, and the writer waits for the
            // lock instead of deadlocking with a reader (``StoreContention``).
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
    }
}

/// The Store's settings as plan-format.md JSON: the site's and each technician's.
enum SettingsStore {
    static let siteKey = "site"

    static func technicianKey(_ resourceID: Int) -> String { "technician:\(resourceID)" }

    static func get(_ key: String, on database: Database) async throws -> String? {
        try await SettingRecord.query(on: database).filter(\.$key == key).first()?.value
    }

    static func set(_ key: String, _ value: String, on database: Database) async throws {
        if let record = try await SettingRecord.query(on: database).filter(\.$key == key).first() {
            record.value = value
            try await record.save(on: database)
        } else {
            let record = SettingRecord()
            record.key = key
            record.value = value
            try await record.save(on: database)
        }
    }
}
