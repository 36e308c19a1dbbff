import Fluent
import Foundation

/// Creates Next Activities for newly assigned tickets (waiting in *Pending accept* when the workflow
/// asks for acceptance), and closes those whose ticket is done.
///
/// A ticket assigned to an active technician gets a Next Activity when it has none for that
/// technician, or when the ticket was reopened or handed back after their last one ended, with the
/// length ``ActivityRules`` gives (by queue, else priority rank, else the default). Activities whose
/// ticket closed are completed; rule-made activities whose ticket moved to someone else, and were
/// not started, are cancelled.
struct NextActivityRule {
    let database: Database
    let now: Date
    /// Only these tickets (those an incremental import read): the rule's outcome changes only when a
    /// ticket does, and reading every ticket and activity each hour costs seconds at 500 technicians.
    /// Nil looks at all of them (after a full import, which also catches a run that failed between
    /// its import and this rule).
    var onlyTickets: Set<Int>? = nil

    /// `{"defaultMinutes": 60, "byPriorityRank": {"1": 120}, "byQueue": {"29683355": 30}}`

    func apply() async throws -> (created: Int, closed: Int) {
        let rules = try await ActivityRules.load(on: database)
        // With pending accept on, new work waits for the technician before it is planned.
        let initialState = try await WorkflowSettings.load(on: database).requireAcceptance ? "pending" : "open"
        let technicians = Set(
            try await TechnicianRecord.query(on: database).filter(\.$isActive == true).all().map(\.resourceID))
        var tickets: [TicketRecord] = []
        var activities: [NextActivityRecord] = []
        if let onlyTickets {
            // In chunks, well under any database's limit on bound values.
            for chunk in onlyTickets.sorted().batches(of: 500) {
                tickets += try await TicketRecord.query(on: database).filter(\.$ticketID ~~ chunk).all()
                activities += try await NextActivityRecord.query(on: database).filter(\.$ticketID ~~ chunk).all()
            }
        } else {
            tickets = try await TicketRecord.query(on: database).all()
            activities = try await NextActivityRecord.query(on: database).all()
        }
        let ticketsByID = Dictionary(tickets.map { ($0.ticketID, $0) }) { first, _ in first }
        let byPair = Dictionary(grouping: activities) { "\($0.ticketID)/\($0.resourceID)" }
        // Inserted in batches: a first import at 500 technicians makes about 10,000 activities, and one
        // statement each took 18 s of the demo's start (BENCHMARKS.md).
        var made: [NextActivityRecord] = []
        var closed = 0
        for ticket in tickets where ticket.isOpen {
            guard let resource = ticket.assignedResourceID, technicians.contains(resource) else { continue }
            let earlier = byPair["\(ticket.ticketID)/\(resource)"] ?? []
            guard Self.needsNewActivity(earlier: earlier, handedOverAt: ticket.assignedAt) else { continue }
            let activity = NextActivityRecord()
            // The first for a ticket and technician keeps the plain id; later ones count on.
            activity.activityID =
                "NA-\(ticket.ticketID)-\(resource)" + (earlier.isEmpty ? "" : "-\(earlier.count + 1)")
            activity.resourceID = resource
            activity.ticketID = ticket.ticketID
            activity.durationMinutes = rules.minutes(priorityRank: ticket.priorityRank, queueID: ticket.queueID)
            activity.state = initialState
            activity.origin = "rule"
            activity.createdAt = now
            made.append(activity)
        }
        for batch in made.batches(of: 500) {
            try await batch.create(on: database)
        }
        for activity in activities where activity.state == "open" || activity.state == "pending" {
            guard let ticket = ticketsByID[activity.ticketID] else { continue }
            if !ticket.isOpen {
                activity.state = "completed"
            } else if activity.origin == "rule", activity.startedAt == nil,
                ticket.assignedResourceID != activity.resourceID
            {
                activity.state = "cancelled"
            } else {
                continue
            }
            activity.endedAt = now
            try await activity.save(on: database)
            closed += 1
        }
        return (made.count, closed)
    }

    /// A ticket's assignee gets a Next Activity when they have none for it, or when every one they
    /// had ended (completed, cancelled, declined) before the ticket was last handed to them —
    /// reopened, or reassigned back. An activity they completed while the ticket stayed theirs
    /// and open is their own decision, and stands.
    static func needsNewActivity(earlier: [NextActivityRecord], handedOverAt: Date?) -> Bool {
        if earlier.isEmpty { return true }
        if earlier.contains(where: { ["open", "pending"].contains($0.state) }) { return false }
        guard let handedOverAt else { return false }
        return earlier.allSatisfy { ($0.endedAt ?? $0.createdAt) < handedOverAt }
    }
}
