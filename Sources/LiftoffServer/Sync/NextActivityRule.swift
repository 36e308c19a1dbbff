import Fluent
import Foundation

/// Creates Next Activities for newly assigned tickets (waiting in *Pending accept* when the workflow
/// asks for acceptance), and closes those whose ticket is done.
///
/// A ticket assigned to an active technician that has never had a Next Activity for that technician
/// gets one, with the default duration for its priority rank (Critical first: 120, 90, 60, 45
/// minutes) unless the `activityRules` setting says otherwise. Activities whose ticket closed are
/// completed; rule-made activities whose ticket moved to someone else, and were not started, are
/// cancelled.
struct NextActivityRule {
    let database: Database
    let now: Date

    /// `{"defaultMinutes": 60, "byPriorityRank": {"1": 120}, "byQueue": {"29683355": 30}}`
    struct Rules: Codable, Sendable {
        var defaultMinutes = 60
        var byPriorityRank: [String: Int] = ["1": 120, "2": 90, "3": 60, "4": 45]
        var byQueue: [String: Int] = [:]
    }

    static let settingKey = "activityRules"

    func apply() async throws -> (created: Int, closed: Int) {
        var rules = Rules()
        if let text = try await SettingsStore.get(Self.settingKey, on: database),
            let decoded = try? JSONDecoder().decode(Rules.self, from: Data(text.utf8))
        {
            rules = decoded
        }
        // With pending accept on, new work waits for the technician before it is planned.
        let initialState = try await WorkflowSettings.load(on: database).requireAcceptance ? "pending" : "open"
        let technicians = Set(
            try await TechnicianRecord.query(on: database).filter(\.$isActive == true).all().map(\.resourceID))
        let tickets = try await TicketRecord.query(on: database).all()
        let ticketsByID = Dictionary(tickets.map { ($0.ticketID, $0) }) { first, _ in first }
        let activities = try await NextActivityRecord.query(on: database).all()
        var existing = Set(activities.map { "\($0.ticketID)/\($0.resourceID)" })
        var created = 0
        var closed = 0
        for ticket in tickets where ticket.isOpen {
            guard let resource = ticket.assignedResourceID, technicians.contains(resource),
                !existing.contains("\(ticket.ticketID)/\(resource)")
            else { continue }
            let activity = NextActivityRecord()
            activity.activityID = "NA-\(ticket.ticketID)-\(resource)"
            activity.resourceID = resource
            activity.ticketID = ticket.ticketID
            activity.durationMinutes =
                ticket.queueID.flatMap { rules.byQueue[String($0)] } ?? rules.byPriorityRank[
                    String(ticket.priorityRank)]
                ?? rules.defaultMinutes
            activity.state = initialState
            activity.origin = "rule"
            activity.createdAt = now
            try await activity.save(on: database)
            existing.insert("\(ticket.ticketID)/\(resource)")
            created += 1
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
            try await activity.save(on: database)
            closed += 1
        }
        return (created, closed)
    }
}
