import Fluent
import Foundation
import SQLKit

/// A stamp in the Store that changes whenever something the plan depends on changes (an action, a
/// setting, an import). Every instance reads it, so a change made through one instance reaches the
/// pages and live updates served by the others.
///
/// A stamp reads `NEW:PREVIOUS:SCOPE`: a fresh UUID, the UUID of the stamp it replaced, and whose
/// plan the change touches — one technician's resource id, or `*` for anything wider. A plan cache
/// holding `PREVIOUS` re-plans only that technician (``PlanCache``); any other jump rebuilds it all.
/// The new stamp is written from the old one in a single `UPDATE`, so two changes at once always
/// chain (the second names the first as its previous) and a cache can never skip one.
enum PlanVersion {
    static let rowName = "plan-version"

    /// What a stamp says about the change that made it.
    struct Stamp: Equatable {
        /// The stamp's own id (its first 36 characters).
        var id: Substring
        var previous: Substring?
        /// The one technician whose plan the change touches, or nil for a wider change.
        var technician: Int?

        init(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            id = parts.first ?? ""
            previous = parts.count == 3 ? parts[1] : nil
            technician = parts.count == 3 ? Int(parts[2]) : nil
        }
    }

    /// One plain SQL read: every API answer waits for one (shared, ``PlanCache``), so it skips
    /// Fluent's query building and model decoding.
    static func current(on database: Database) async throws -> String {
        let rows = try await StoreRows.sql(database).raw(
            "SELECT holder FROM \(ident: SyncStateRecord.schema) WHERE name = \(bind: rowName) LIMIT 1"
        ).all()
        guard let row = rows.first else { return "0" }
        return try row.decode(column: "holder", as: String?.self) ?? "0"
    }

    /// Makes the row on start, so two first changes at once never both try to insert it.
    static func ensure(on database: Database) async throws {
        guard try await SyncStateRecord.query(on: database).filter(\.$name == rowName).first() == nil else { return }
        let row = SyncStateRecord()
        row.name = rowName
        row.holder = UUID().uuidString
        try? await row.save(on: database)  // another instance may have made it meanwhile
    }

    /// Marks the plan as changed: for `technician` only, or for everyone (nil). Returns the new stamp.
    @discardableResult
    static func bump(on database: Database, technician: Int? = nil) async throws -> String {
        let scope = technician.map(String.init) ?? "*"
        let fresh = UUID().uuidString
        let sql = try StoreRows.sql(database)
        // One statement: the previous id is read from the row being replaced (UUIDs are 36 characters).
        let rows = try await sql.raw(
            """
            UPDATE \(ident: SyncStateRecord.schema) SET holder = \(bind: fresh) || ':' || substr(COALESCE(holder, ''), 1, 36) || ':' || \(bind: scope)
            WHERE name = \(bind: rowName) RETURNING holder
            """
        ).all()
        guard let row = rows.first else {
            // No row yet (a Store that never started a server): the first stamp begins the chain.
            let row = SyncStateRecord()
            row.name = rowName
            row.holder = fresh
            try await row.save(on: database)
            return fresh
        }
        let stamp = try row.decode(column: "holder", as: String.self)
        // PostgreSQL pushes it to every instance's watcher when the transaction commits.
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_notify(\(bind: PlanVersionWatcher.channel), \(bind: stamp))").run()
        }
        return stamp
    }
}
