import Fluent
import Foundation
import SQLKit

/// A lease in the Store that lets one process at a time run Calendar Reflow, whichever processes
/// share the database (`liftoff serve` instances, a `liftoff reflow` next to them).
///
/// Taking it is one atomic statement: insert the lease, or take it over when it has expired or is
/// already ours. A process that dies keeps it only until it expires.
struct ReflowLease {
    static let name = "reflow-lease"
    let database: Database
    let holder: String

    /// Takes or renews the lease until `now + duration`; false when another process holds it.
    func acquire(now: Date, for duration: TimeInterval) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { return true }
        try await sql.raw(
            """
            INSERT INTO sync_state (id, name, cursor, holder) VALUES (\(bind: UUID()), \(bind: Self.name), \(bind: now.addingTimeInterval(duration)), \(bind: holder))
            ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, holder = excluded.holder
            WHERE sync_state.cursor IS NULL OR sync_state.cursor < \(bind: now) OR sync_state.holder = \(bind: holder)
            """
        ).run()
        let lease = try await SyncStateRecord.query(on: database).filter(\.$name == Self.name).first()
        return lease?.holder == holder
    }

    /// Gives the lease up, if it is still ours.
    func release() async throws {
        guard let lease = try await SyncStateRecord.query(on: database).filter(\.$name == Self.name).first(),
            lease.holder == holder
        else { return }
        lease.cursor = nil
        lease.holder = nil
        try await lease.save(on: database)
    }
}
