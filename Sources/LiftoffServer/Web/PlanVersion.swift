import Fluent
import Foundation

/// A stamp in the Store that changes whenever something the plan depends on changes (an action, a
/// setting, an import). Every instance reads it, so a change made through one instance reaches the
/// pages and live updates served by the others.
enum PlanVersion {
    static let rowName = "plan-version"

    static func current(on database: Database) async throws -> String {
        try await SyncStateRecord.query(on: database).filter(\.$name == rowName).first()?.holder ?? "0"
    }

    /// Makes the row on start, so two first changes at once never both try to insert it.
    static func ensure(on database: Database) async throws {
        guard try await SyncStateRecord.query(on: database).filter(\.$name == rowName).first() == nil else { return }
        let row = SyncStateRecord()
        row.name = rowName
        row.holder = UUID().uuidString
        try? await row.save(on: database)  // another instance may have made it meanwhile
    }

    /// Marks the plan as changed.
    static func bump(on database: Database) async throws {
        let stamp = UUID().uuidString
        if let row = try await SyncStateRecord.query(on: database).filter(\.$name == rowName).first() {
            row.holder = stamp
            try await row.save(on: database)
        } else {
            let row = SyncStateRecord()
            row.name = rowName
            row.holder = stamp
            try await row.save(on: database)
        }
    }
}
