import Fluent
import Foundation
import Metrics
import Vapor

/// Takes back a Workboard action for ``ActivityWorkflow/undoWindow`` after it: the activity gets its
/// earlier state again and its ticket its earlier status. A status still waiting in the ticket outbox
/// is withdrawn, so Autotask never sees it; one already written is followed by the earlier status (the
/// ticket's history in Autotask then shows both).
extension ActivityWorkflow {
    struct UndoResult {
        var activity: NextActivityRecord
        /// How the ticket's status was taken back, if the action had changed it.
        var ticket: TicketUndo
    }

    enum TicketUndo: String {
        /// The action had queued no status.
        case untouched
        /// The status had not left for Autotask yet and never will.
        case withdrawn
        /// Autotask already had the new status; the earlier one is queued after it.
        case restored
    }

    func undo(
        _ undoID: UUID, activityID: String, by account: Account, now: Date
    ) async throws -> UndoResult {
        guard let undo = try await ActivityUndoRecord.find(undoID, on: database), undo.activityID == activityID
        else {
            throw Abort(.notFound, reason: "there is nothing to undo for \(activityID) with that undo id")
        }
        let activity = try await self.activity(activityID, actingAs: account)
        guard undo.undoneAt == nil else {
            throw Abort(.conflict, reason: "this \(undo.action) of \(activityID) has already been undone")
        }
        guard now <= undo.expiresAt else {
            throw Abort(
                .conflict,
                reason: "the Undo for this \(undo.action) of \(activityID) ran out after "
                    + "\(Int(Self.undoWindow)) seconds; act on the activity again instead")
        }
        let expected = (state: undo.newState, started: undo.newStartedAt != nil)
        let ticketID = activity.ticketID
        let outcome = try await database.transactionStartingOverWhenBusy { transaction -> TicketUndo in
            // The same claim as an action: if anyone acted on the activity since, the Undo is stale.
            guard try await Self.claim(activityID, state: expected.state, started: expected.started, on: transaction)
            else {
                throw Abort(
                    .conflict, reason: "\(activityID) changed after the \(undo.action); reload the Workboard")
            }
            activity.state = undo.previousState
            activity.startedAt = undo.previousStartedAt
            activity.endedAt = undo.previousEndedAt
            activity.reason = undo.previousReason
            try await activity.save(on: transaction)

            var ticketUndo = TicketUndo.untouched
            if let updateID = undo.ticketUpdateID, let previous = undo.previousTicketStatus,
                let update = try await TicketUpdateRecord.find(updateID, on: transaction)
            {
                if update.state == "pending" {
                    update.state = "withdrawn"
                    try await update.save(on: transaction)
                    ticketUndo = .withdrawn
                    try await Self.reviveSuperseded(
                        by: update, restoring: previous, ticketID: ticketID, on: transaction)
                } else {
                    // Written (or refused for good): queue the earlier status behind whatever waits.
                    _ = try await TicketUpdateRecord.queue(
                        ticketID: ticketID, status: previous,
                        reason: "undo \(undo.action) \(activityID) by \(account.username)", now: now, on: transaction)
                    ticketUndo = .restored
                }
                if let ticket = try await TicketRecord.query(on: transaction).filter(\.$ticketID == ticketID).first() {
                    ticket.status = previous
                    try await ticket.save(on: transaction)
                }
            }
            undo.undoneAt = now
            try await undo.save(on: transaction)
            let audit = AuditRecord()
            audit.at = now
            audit.action = "undo"
            audit.entity = "NextActivity"
            audit.detail = "\(undo.action) of \(activityID) by \(account.username); ticket \(ticketUndo.rawValue)"
            try await audit.save(on: transaction)
            try await PlanVersion.bump(on: transaction, technician: activity.resourceID)
            return ticketUndo
        }
        Counter(label: "liftoff_workboard_undos_total", dimensions: [("action", undo.action)]).increment()
        return UndoResult(activity: activity, ticket: outcome)
    }

    /// The withdrawn status may have superseded an earlier one that never left either (Start, then
    /// Complete a moment later, then Undo of Complete): that earlier status goes out after all, so
    /// Autotask ends where the Store does. Only when nothing was written for the ticket since.
    static func reviveSuperseded(
        by withdrawn: TicketUpdateRecord, restoring status: Int, ticketID: Int, on transaction: Database
    ) async throws {
        guard
            let earlier = try await TicketUpdateRecord.query(on: transaction).filter(\.$ticketID == ticketID)
                .filter(\.$state == "superseded").filter(\.$createdAt <= withdrawn.createdAt)
                .sort(\.$createdAt, .descending).first(),
            earlier.status == status
        else { return }
        let writtenSince = try await TicketUpdateRecord.query(on: transaction).filter(\.$ticketID == ticketID)
            .filter(\.$state == "done").filter(\.$createdAt >= earlier.createdAt).count()
        guard writtenSince == 0 else { return }
        earlier.state = "pending"
        try await earlier.save(on: transaction)
    }
}
