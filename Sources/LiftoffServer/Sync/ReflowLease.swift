import Fluent
import Foundation
import SQLKit

/// A lease in the Store that lets one process at a time run Calendar Reflow, whichever processes
/// share the database (`liftoff serve` instances, a `liftoff reflow` next to them).
///
/// It lives in a table of its own (`reflow_leases`) and is judged by the **database's clock**, never a
/// process's: two machines whose clocks disagree, or a process started with `--now`, still agree on
/// when a lease has expired. Taking or renewing it is one statement that either wins the row or
/// returns nothing; giving it up deletes the row only while it is still ours, so a slow process can
/// never clear the lease another one took after its own expired. A run whose renewal fails stops
/// writing (``CalendarReflowJob``): holding the lease is what fences its writes.
struct ReflowLease {
    static let name = "reflow"
    let database: Database
    let holder: String

    /// Takes the lease, or renews it when it is already ours, until the database's now + `duration`.
    /// False when another holder has it and it has not expired.
    func acquire(for duration: TimeInterval) async throws -> Bool {
        let sql = try StoreRows.sql(database)
        let now = Self.databaseNow(sql)
        let milliseconds = Int64((duration * 1000).rounded())
        let rows = try await sql.raw(
            """
            INSERT INTO reflow_leases (name, holder, expires_ms) VALUES (\(bind: Self.name), \(bind: holder), \(unsafeRaw: now) + \(bind: milliseconds))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
            WHERE reflow_leases.expires_ms < \(unsafeRaw: now) OR reflow_leases.holder = excluded.holder
            RETURNING holder
            """
        ).all()
        return rows.count == 1
    }

    /// Throws ``ReflowLeaseLost`` unless the lease is still ours for at least `margin` more seconds by
    /// the database's clock. Called before every service-call write: the heartbeat alone notices a
    /// takeover only at its next renewal, and a run must not write a single call after another process
    /// took over — nor start one that could still be under way when the lease ends.
    func confirm(margin: TimeInterval = 0) async throws {
        let sql = try StoreRows.sql(database)
        let now = Self.databaseNow(sql) + " + \(Int64((margin * 1000).rounded()))"
        let rows = try await sql.raw(
            """
            SELECT holder FROM reflow_leases
            WHERE name = \(bind: Self.name) AND holder = \(bind: holder) AND expires_ms >= \(unsafeRaw: now)
            """
        ).all()
        guard rows.count == 1 else { throw ReflowLeaseLost(reason: "another process holds it, or it expired") }
    }

    /// Gives the lease up, only if it is still ours.
    func release() async throws {
        try await StoreRows.sql(database).raw(
            "DELETE FROM reflow_leases WHERE name = \(bind: Self.name) AND holder = \(bind: holder)"
        ).run()
    }

    /// Who holds the lease now (expired or not), for tests and diagnostics.
    static func holder(on database: Database) async throws -> String? {
        try await StoreRows.sql(database).raw("SELECT holder FROM reflow_leases WHERE name = \(bind: name)").first()?
            .decode(column: "holder", as: String.self)
    }

    /// The database's current time in milliseconds since 1970, as an SQL expression.
    static func databaseNow(_ sql: any SQLDatabase) -> String {
        sql.dialect.name == "sqlite"
            ? "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
            : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
    }

}

/// The reflow's lease was taken by another process, or could not be renewed before it would expire:
/// the run stopped writing so two runs never write the same calendar.
public struct ReflowLeaseLost: Error, CustomStringConvertible {
    public let reason: String
    public var description: String {
        "the reflow stopped because it no longer holds the Store's reflow lease (\(reason)); the next run carries on"
    }
}

/// The `reflow_leases` table; the old lease row in `sync_state` goes.
struct CreateReflowLeases: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = try StoreRows.sql(database)
        try await sql.raw(
            "CREATE TABLE reflow_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_ms BIGINT NOT NULL)"
        ).run()
        try await sql.raw("DELETE FROM sync_state WHERE name = 'reflow-lease'").run()
    }

    func revert(on database: Database) async throws {
        try await StoreRows.sql(database).raw("DROP TABLE reflow_leases").run()
    }
}
