import Fluent
import Foundation
import SQLKit

/// The Store's rows that the whole-plan reads need, as plain values read with direct SQL.
///
/// Building the plan and the calendar import read every open activity, ticket, busy item and
/// service-call link. Fluent decodes each row into a model by reflecting over its properties, which
/// at 500 technicians (tens of thousands of rows) took seconds of every reflow and every full
/// re-plan; these reads decode only the columns they use. Writes still go through the models.
enum StoreRows {
    struct Activity: Sendable, Equatable {
        var activityID: String
        var resourceID: Int
        var ticketID: Int
        var durationMinutes: Int
        var state: String
        var sleepUntil: Date?
        var startedAt: Date?
        var endedAt: Date?
    }

    struct Ticket: Sendable, Equatable {
        var ticketID: Int
        var number: String
        var title: String
        var priorityRank: Int
        var createdAt: Date
        var dueAt: Date?
    }

    struct Busy: Sendable, Equatable {
        var id: UUID
        var resourceID: Int
        var source: String
        var kind: String
        var start: Date
        var end: Date
        var title: String?
        var showAs: String?
        var status: String?
    }

    struct Link: Sendable, Equatable {
        var id: UUID
        var marker: String
        var serviceCallID: Int?
        var resourceID: Int
        var ticketID: Int
        var activityID: String
        var part: Int
        var parts: Int
        var start: Date
        var end: Date
        var isComplete: Bool
        var state: String
    }

    /// An outbox entry still waiting to be sent.
    struct PendingWrite: Sendable, Equatable {
        var linkID: UUID
        var kind: String
        var start: Date?
        var end: Date?
    }

    /// The Store as SQL, for the statements Fluent's query builder cannot say or says slowly (plain
    /// row reads, one-statement stamps, leases by the database's clock). Every Store is SQLite or
    /// PostgreSQL; the error only names the impossible case.
    static func sql(_ database: Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else { throw StoreNotSQL() }
        return sql
    }

    /// The resource ids of the technicians Liftoff plans.
    static func activeTechnicianIDs(on database: Database) async throws -> [Int] {
        try await sql(database).select().column("resource_id").from(TechnicianRecord.schema)
            .where("is_active", .equal, true).orderBy("resource_id").all()
            .map { try $0.decode(column: "resource_id", as: Int.self) }
    }

    /// Activities in `state`, of one technician or everyone, ended after `endedAfter` when given.
    static func activities(
        state: String, resourceID: Int? = nil, endedAfter: Date? = nil, on database: Database
    ) async throws -> [Activity] {
        var query = try sql(database).select()
            .columns(
                "activity_id", "resource_id", "ticket_id", "duration_minutes", "state", "sleep_until", "started_at",
                "ended_at"
            )
            .from(NextActivityRecord.schema)
            .where("state", .equal, state)
        if let resourceID { query = query.where("resource_id", .equal, resourceID) }
        if let endedAfter { query = query.where("ended_at", .greaterThan, endedAfter) }
        return try await query.all().map { row in
            Activity(
                activityID: try row.decode(column: "activity_id", as: String.self),
                resourceID: try row.decode(column: "resource_id", as: Int.self),
                ticketID: try row.decode(column: "ticket_id", as: Int.self),
                durationMinutes: try row.decode(column: "duration_minutes", as: Int.self),
                state: try row.decode(column: "state", as: String.self),
                sleepUntil: try row.decode(column: "sleep_until", as: Date?.self),
                startedAt: try row.decode(column: "started_at", as: Date?.self),
                endedAt: try row.decode(column: "ended_at", as: Date?.self))
        }
    }

    /// The tickets of every activity in one of `states` (what the plan and its pages show).
    static func tickets(ofActivitiesIn states: [String], on database: Database) async throws -> [Ticket] {
        let sql = try sql(database)
        let activities = sql.select().column("ticket_id").from(NextActivityRecord.schema)
            .where("state", .in, states)
        return try await tickets(
            sql.select().columns(ticketColumns).from(TicketRecord.schema)
                .where(SQLIdentifier("ticket_id"), .in, SQLGroupExpression(activities.query)))
    }

    /// The tickets with these ids.
    static func tickets(ids: some Collection<Int>, on database: Database) async throws -> [Ticket] {
        guard !ids.isEmpty else { return [] }
        return try await tickets(
            try sql(database).select().columns(ticketColumns).from(TicketRecord.schema)
                .where("ticket_id", .in, Array(ids)))
    }

    private static let ticketColumns: [String] = [
        "ticket_id", "number", "title", "priority_rank", "created_at", "due_at",
    ]

    private static func tickets(_ query: SQLSelectBuilder) async throws -> [Ticket] {
        try await query.all().map { row in
            Ticket(
                ticketID: try row.decode(column: "ticket_id", as: Int.self),
                number: try row.decode(column: "number", as: String.self),
                title: try row.decode(column: "title", as: String.self),
                priorityRank: try row.decode(column: "priority_rank", as: Int.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                dueAt: try row.decode(column: "due_at", as: Date?.self))
        }
    }

    /// Busy items of one technician or everyone that end after `endingAfter` (when given), leaving
    /// out `excludingKind` (when given).
    static func busy(
        endingAfter: Date? = nil, resourceID: Int? = nil, excludingKind: String? = nil, on database: Database
    ) async throws -> [Busy] {
        var query = try sql(database).select()
            .columns("id", "resource_id", "source", "kind", "start", "end", "title", "show_as", "status")
            .from(BusyItemRecord.schema)
        if let endingAfter { query = query.where("end", .greaterThan, endingAfter) }
        if let resourceID { query = query.where("resource_id", .equal, resourceID) }
        if let excludingKind { query = query.where("kind", .notEqual, excludingKind) }
        return try await query.all().map { row in
            Busy(
                id: try row.decode(column: "id", as: UUID.self),
                resourceID: try row.decode(column: "resource_id", as: Int.self),
                source: try row.decode(column: "source", as: String.self),
                kind: try row.decode(column: "kind", as: String.self),
                start: try row.decode(column: "start", as: Date.self),
                end: try row.decode(column: "end", as: Date.self),
                title: try row.decode(column: "title", as: String?.self),
                showAs: try row.decode(column: "show_as", as: String?.self),
                status: try row.decode(column: "status", as: String?.self))
        }
    }

    /// Every service-call link, or one technician's.
    static func links(resourceID: Int? = nil, on database: Database) async throws -> [Link] {
        var query = try sql(database).select()
            .columns(
                "id", "marker", "service_call_id", "resource_id", "ticket_id", "activity_id", "part", "parts",
                "start", "end", "is_complete", "state"
            )
            .from(ServiceCallLinkRecord.schema)
        if let resourceID { query = query.where("resource_id", .equal, resourceID) }
        return try await query.all().map { row in
            Link(
                id: try row.decode(column: "id", as: UUID.self),
                marker: try row.decode(column: "marker", as: String.self),
                serviceCallID: try row.decode(column: "service_call_id", as: Int?.self),
                resourceID: try row.decode(column: "resource_id", as: Int.self),
                ticketID: try row.decode(column: "ticket_id", as: Int.self),
                activityID: try row.decode(column: "activity_id", as: String.self),
                part: try row.decode(column: "part", as: Int.self),
                parts: try row.decode(column: "parts", as: Int.self),
                start: try row.decode(column: "start", as: Date.self),
                end: try row.decode(column: "end", as: Date.self),
                isComplete: try row.decode(column: "is_complete", as: Bool.self),
                state: try row.decode(column: "state", as: String.self))
        }
    }

    /// The outbox entries still waiting, oldest first, of these links or of every link (nil).
    static func pendingWrites(linkIDs: [UUID]? = nil, on database: Database) async throws -> [PendingWrite] {
        if let linkIDs, linkIDs.isEmpty { return [] }
        var query = try sql(database).select()
            .columns("link_id", "kind", "start", "end")
            .from(OutboxRecord.schema)
            .where("state", .equal, "pending")
        if let linkIDs { query = query.where("link_id", .in, linkIDs) }
        return try await query.orderBy("created_at").all().map { row in
            PendingWrite(
                linkID: try row.decode(column: "link_id", as: UUID.self),
                kind: try row.decode(column: "kind", as: String.self),
                start: try row.decode(column: "start", as: Date?.self),
                end: try row.decode(column: "end", as: Date?.self))
        }
    }
}

/// The Store is not an SQL database (never the case with SQLite or PostgreSQL).
struct StoreNotSQL: Error, CustomStringConvertible {
    var description: String { "Liftoff's Store must be an SQL database (SQLite or PostgreSQL)" }
}
