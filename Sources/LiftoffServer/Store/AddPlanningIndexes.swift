import Fluent
import SQLKit

/// Indexes for what one technician's re-plan and the hourly rule read (``ProblemBuilder`` with
/// `onlyTechnician`, ``NextActivityRule`` with `onlyTickets`): without them each of those reads
/// scans the whole table, which at 500 technicians is tens of thousands of rows per Workboard action.
struct AddPlanningIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, column: String)] = [
        ("next_activities_resource_id", NextActivityRecord.schema, "resource_id"),
        ("next_activities_ticket_id", NextActivityRecord.schema, "ticket_id"),
        ("next_activities_state", NextActivityRecord.schema, "state"),
        ("service_call_links_resource_id", ServiceCallLinkRecord.schema, "resource_id"),
        ("outbox_link_id", OutboxRecord.schema, "link_id"),
        ("outbox_state", OutboxRecord.schema, "state"),
    ]

    func prepare(on database: Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            try await sql.create(index: index.name).on(index.table).column(index.column).run()
        }
    }

    func revert(on database: Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            try await sql.drop(index: index.name).run()
        }
    }
}
