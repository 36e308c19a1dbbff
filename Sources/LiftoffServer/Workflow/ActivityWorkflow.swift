import Fluent
import Foundation
import Metrics
import SQLKit
import Vapor

/// Carries out Workboard actions: checks the activity's state and the account's right to act,
/// changes the activity, queues the configured ticket status change in the ticket outbox and marks
/// the plan changed — all in one transaction, so nothing is half done.
struct ActivityWorkflow {
    let database: Database

    struct Result {
        var activity: NextActivityRecord
        /// The ticket status queued for Autotask, if the workflow sets one.
        var queuedStatus: TicketStatusChoice?
        /// A status the workflow names that Autotask's picklist no longer has: nothing was queued.
        var missingStatus: String?
        /// The Undo offered for this action and until when (``undoWindow``).
        var undoID: UUID?
        var undoUntil: Date?
    }

    /// How long an action can be taken back from the Workboard: long enough to notice a wrong click,
    /// short enough that nobody undoes what a colleague has since built on.
    static let undoWindow: TimeInterval = 20

    func perform(
        _ action: ActivityAction, activityID: String, by account: Account, reason rawReason: String?, now: Date
    ) async throws -> Result {
        let activity = try await self.activity(activityID, actingAs: account)
        let reason = rawReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if action.needsReason {
            guard let reason, !reason.isEmpty else {
                throw Abort(.badRequest, reason: "\(action.label) needs a reason: say why, in up to 500 characters")
            }
            guard reason.count <= 500 else {
                throw Abort(.badRequest, reason: "the reason is \(reason.count) characters long; keep it to 500")
            }
        }
        let checkedState = activity.state
        let wasStarted = activity.startedAt != nil
        // Made again on every attempt of the transaction: a record saved in a rolled-back attempt
        // would believe it exists and never be inserted.
        let before = (
            state: activity.state, startedAt: activity.startedAt, endedAt: activity.endedAt, reason: activity.reason
        )
        let undoID = UUID()
        let undoUntil = now.addingTimeInterval(Self.undoWindow)
        @Sendable func undoRecord() -> ActivityUndoRecord {
            let undo = ActivityUndoRecord()
            undo.id = undoID
            undo.activityID = activityID
            undo.action = action.rawValue
            undo.username = account.username
            undo.previousState = before.state
            undo.previousStartedAt = before.startedAt
            undo.previousEndedAt = before.endedAt
            undo.previousReason = before.reason
            undo.expiresAt = undoUntil
            return undo
        }
        let state = activity.displayState
        let allowed: [ActivityAction: Set<String>] = [
            .accept: ["pending"], .decline: ["pending"], .start: ["open"], .complete: ["open", "started"],
            .cancel: ["pending", "open", "started"],
        ]
        let applies = allowed[action] ?? []
        guard applies.contains(state) else {
            throw Abort(
                .conflict,
                reason: "\(activityID) is \(state); \(action.label) applies to "
                    + "\(applies.sorted().joined(separator: " or ")) activities. Reload the Workboard.")
        }
        // Always assigned, so the save below writes it over the claim.
        switch action {
        case .accept, .start: activity.state = "open"
        case .decline: activity.state = "declined"
        case .complete: activity.state = "completed"
        case .cancel: activity.state = "cancelled"
        }
        if action == .start { activity.startedAt = now }
        if action.needsReason { activity.reason = reason }
        if [.decline, .complete, .cancel].contains(action) { activity.endedAt = now }
        let workflow = try await WorkflowSettings.load(on: database)
        var queued: TicketStatusChoice?
        var missingStatus: String?
        if let label = workflow.status(for: action) {
            let choices = try await TicketStatusChoice.load(on: database)
            queued = choices.first { $0.label.caseInsensitiveCompare(label) == .orderedSame }
            if queued == nil { missingStatus = label }
        }
        let status = queued
        try await database.transactionStartingOverWhenBusy { transaction in
            // Claim the activity in the state it was checked in: of two actions racing (two tabs, a
            // dispatcher and the technician), one wins and the other gets 409.
            guard try await Self.claim(activityID, state: checkedState, started: wasStarted, on: transaction) else {
                throw Abort(.conflict, reason: "\(activityID) changed meanwhile; reload the Workboard and try again")
            }
            try await activity.save(on: transaction)
            let undo = undoRecord()
            undo.newState = activity.state
            undo.newStartedAt = activity.startedAt
            if let status {
                let update = try await TicketUpdateRecord.queue(
                    ticketID: activity.ticketID, status: status.value,
                    reason: "\(action.rawValue) \(activityID) by \(account.username)", now: now, on: transaction)
                undo.ticketUpdateID = update.id
                if let ticket = try await TicketRecord.query(on: transaction).filter(\.$ticketID == activity.ticketID)
                    .first()
                {
                    undo.previousTicketStatus = ticket.status
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
            // Undos long past are of no use to anyone: each action sweeps them.
            try await ActivityUndoRecord.query(on: transaction)
                .filter(\.$expiresAt < now.addingTimeInterval(-86_400)).delete()
            try await undo.save(on: transaction)
            try await PlanVersion.bump(on: transaction, technician: activity.resourceID)
        }
        Counter(label: "liftoff_workboard_actions_total", dimensions: [("action", action.rawValue)]).increment()
        return Result(
            activity: activity, queuedStatus: queued, missingStatus: missingStatus, undoID: undoID,
            undoUntil: undoUntil)
    }

    /// The activity `activityID`, if `account` may act on it (its own Workboard, or a dispatcher's).
    func activity(_ activityID: String, actingAs account: Account) async throws -> NextActivityRecord {
        guard
            let activity = try await NextActivityRecord.query(on: database).filter(\.$activityID == activityID).first()
        else {
            throw Abort(.notFound, reason: "no Next Activity \(activityID); it may have been removed by an import")
        }
        guard account.mayActFor(technician: activity.resourceID) else {
            throw Abort(.forbidden, reason: "you may act on your own Workboard only")
        }
        return activity
    }

    /// Claims the activity in the state it was checked in (marking it `acting` until the transaction
    /// saves it): of two changes racing (two tabs, a dispatcher and the technician, an action and an
    /// Undo), one claims it and the other learns it changed. False when the state has moved on.
    static func claim(_ activityID: String, state: String, started: Bool, on transaction: Database) async throws
        -> Bool
    {
        guard let sql = transaction as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "the Store does not speak SQL")
        }
        let claimed = try await sql.update(NextActivityRecord.schema)
            .set("state", to: "acting")
            .where("activity_id", .equal, activityID)
            .where("state", .equal, state)
            .where("started_at", started ? .isNot : .is, SQLLiteral.null)
            .returning("id")
            .all()
        return !claimed.isEmpty
    }
}
