import Fluent
import Foundation
import Metrics
import Vapor

/// What a technician or dispatcher does to a Next Activity from the Workboard.
enum ActivityAction: String, CaseIterable, Codable, Sendable {
    case accept, decline, start, complete, cancel

    /// Decline and Cancel say why, for the dispatcher and the audit log.
    var needsReason: Bool { self == .decline || self == .cancel }

    var label: String {
        switch self {
        case .accept: return "Accept"
        case .decline: return "Decline"
        case .start: return "Start"
        case .complete: return "Complete"
        case .cancel: return "Cancel"
        }
    }
}

/// Carries out Workboard actions: checks the activity's state and the account's right to act,
/// changes the activity, queues the configured ticket status change in the ticket outbox and marks
/// the plan changed — all in one transaction, so nothing is half done.
struct ActivityWorkflow {
    let database: Database

    struct Result {
        var activity: NextActivityRecord
        /// The ticket status queued for Autotask, if the workflow sets one.
        var queuedStatus: TicketStatusChoice?
    }

    func perform(
        _ action: ActivityAction, activityID: String, by account: Account, reason rawReason: String?, now: Date
    ) async throws -> Result {
        guard
            let activity = try await NextActivityRecord.query(on: database).filter(\.$activityID == activityID).first()
        else {
            throw Abort(.notFound, reason: "no Next Activity \(activityID); it may have been removed by an import")
        }
        guard account.mayActFor(technician: activity.resourceID) else {
            throw Abort(.forbidden, reason: "you may act on your own Workboard only")
        }
        let reason = rawReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if action.needsReason {
            guard let reason, !reason.isEmpty else {
                throw Abort(.badRequest, reason: "\(action.label) needs a reason: say why, in up to 500 characters")
            }
            guard reason.count <= 500 else {
                throw Abort(.badRequest, reason: "the reason is \(reason.count) characters long; keep it to 500")
            }
        }
        let state = activity.state == "open" && activity.startedAt != nil ? "started" : activity.state
        let allowed: [ActivityAction: Set<String>] = [
            .accept: ["pending"], .decline: ["pending"], .start: ["open"], .complete: ["open", "started"],
            .cancel: ["pending", "open", "started"],
        ]
        guard allowed[action]?.contains(state) == true else {
            throw Abort(
                .conflict,
                reason:
                    "\(activityID) is \(state); \(action.label) applies to \(allowed[action]!.sorted().joined(separator: " or ")) activities. Reload the Workboard."
            )
        }
        switch action {
        case .accept: activity.state = "open"
        case .decline: activity.state = "declined"
        case .start: activity.startedAt = now
        case .complete: activity.state = "completed"
        case .cancel: activity.state = "cancelled"
        }
        if action.needsReason { activity.reason = reason }
        if [.decline, .complete, .cancel].contains(action) { activity.endedAt = now }
        let workflow = try await WorkflowSettings.load(on: database)
        var queued: TicketStatusChoice?
        if let label = workflow.status(for: action) {
            let choices = try await TicketStatusChoice.load(on: database)
            queued = choices.first { $0.label.caseInsensitiveCompare(label) == .orderedSame }
        }
        let status = queued
        try await database.transaction { transaction in
            try await activity.save(on: transaction)
            if let status {
                let update = TicketUpdateRecord()
                update.ticketID = activity.ticketID
                update.status = status.value
                update.state = "pending"
                update.attempts = 0
                update.reason = "\(action.rawValue) \(activityID) by \(account.username)"
                update.createdAt = now
                try await update.save(on: transaction)
                if let ticket = try await TicketRecord.query(on: transaction).filter(\.$ticketID == activity.ticketID)
                    .first()
                {
                    ticket.status = status.value
                    try await ticket.save(on: transaction)
                }
            }
            let audit = AuditRecord()
            audit.at = now
            audit.action = action.rawValue
            audit.entity = "NextActivity"
            audit.detail =
                "\(activityID) by \(account.username)" + (reason.map { ": \($0)" } ?? "")
                + (status.map { "; ticket \(activity.ticketID) → \($0.label)" } ?? "")
            try await audit.save(on: transaction)
            try await PlanVersion.bump(on: transaction)
        }
        Counter(label: "liftoff_workboard_actions_total", dimensions: [("action", action.rawValue)]).increment()
        return Result(activity: activity, queuedStatus: queued)
    }
}
