import Fluent
import Foundation
import LiftoffCore
import SQLKit

/// What the simulated people read from Liftoff's Store — tickets, Workboards, whose work began — in
/// a few columns through SQL rather than whole Fluent models: they read after every run, and
/// decoding every field of a thousand tickets by reflection each time cost more than the runs.
struct TicketInfo {
    var ticketID: Int
    var title: String
    var priorityRank: Int
    var createdAt: Date
    var dueAt: Date?
    var companyID: Int?
    var assignedResourceID: Int?
    var isOpen: Bool
}

/// An open Next Activity, as a technician sees it on the Workboard.
struct ActivityInfo {
    var activityID: String
    var resourceID: Int
    var ticketID: Int
    var durationMinutes: Int
    var startedAt: Date?
}

extension SimulatedWorld {
    private var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else {
                throw SimulationError(message: "the simulation's Store does not speak SQL")
            }
            return sql
        }
    }

    func readTickets() async throws -> [Int: TicketInfo] {
        let rows = try await sql.select()
            .columns(
                "ticket_id", "title", "priority_rank", "created_at", "due_at", "company_id", "assigned_resource_id",
                "is_open"
            )
            .from(TicketRecord.schema).all()
        var tickets: [Int: TicketInfo] = [:]
        for row in rows {
            let ticket = TicketInfo(
                ticketID: try row.decode(column: "ticket_id", as: Int.self),
                title: try row.decode(column: "title", as: String.self),
                priorityRank: try row.decode(column: "priority_rank", as: Int.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                dueAt: try row.decode(column: "due_at", as: Date?.self),
                companyID: try row.decode(column: "company_id", as: Int?.self),
                assignedResourceID: try row.decode(column: "assigned_resource_id", as: Int?.self),
                isOpen: try row.decode(column: "is_open", as: Bool.self))
            tickets[ticket.ticketID] = ticket
        }
        return tickets
    }

    /// Each technician's open activities in Workboard order (the planner's ``WorkboardOrder``).
    func readWorkboards(tickets: [Int: TicketInfo]) async throws -> [Int: [ActivityInfo]] {
        let rows = try await sql.select()
            .columns("activity_id", "resource_id", "ticket_id", "duration_minutes", "started_at")
            .from(NextActivityRecord.schema).where("state", .equal, "open").all()
        var byResource: [Int: [(NextActivity, ActivityInfo)]] = [:]
        for row in rows {
            let activity = ActivityInfo(
                activityID: try row.decode(column: "activity_id", as: String.self),
                resourceID: try row.decode(column: "resource_id", as: Int.self),
                ticketID: try row.decode(column: "ticket_id", as: Int.self),
                durationMinutes: try row.decode(column: "duration_minutes", as: Int.self),
                startedAt: try row.decode(column: "started_at", as: Date?.self))
            guard let ticket = tickets[activity.ticketID] else { continue }
            let model = NextActivity(
                id: activity.activityID, priority: max(1, ticket.priorityRank),
                durationMinutes: activity.durationMinutes,
                ticketCreated: Instant(millisecondsSinceEpoch: ticket.createdAt.simulationMilliseconds),
                startedAt: activity.startedAt.map { Instant(millisecondsSinceEpoch: $0.simulationMilliseconds) })
            byResource[activity.resourceID, default: []].append((model, activity))
        }
        return byResource.mapValues { pairs in pairs.sorted { WorkboardOrder.precedes($0.0, $1.0) }.map(\.1) }
    }

    /// Activities whose work began — started, or completed — as Calendar Reflow judges it.
    func readBegunActivities() async throws -> Set<String> {
        let rows = try await sql.raw(
            "SELECT activity_id FROM next_activities WHERE started_at IS NOT NULL OR state = 'completed'"
        ).all()
        return Set(try rows.map { try $0.decode(column: "activity_id", as: String.self) })
    }
}
