import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Logging

/// Carries out the service-call outbox (`outbox` table): every intended service-call write, in order,
/// until it is done. Calendar Reflow fills it and drains it; ticket statuses have their own outbox
/// (``TicketOutboxWorker``) beside it.
///
/// Idempotent by construction. A create goes in three steps (service call, its ticket link, the
/// technician's resource link), each recorded in the link as soon as it succeeds, so a crash between
/// steps resumes where it stopped. Before repeating any step that may already have happened (an
/// earlier attempt with an unknown outcome, or a crash), it looks for the result first: the service
/// call by the marker in its description, the links by their parent. Moves and finishes are PATCHes
/// of the same values and may simply repeat; a remove of what is already gone is done.
struct ServiceCallOutboxWorker {
    let client: AutotaskClient
    let database: Database
    let logger: Logger
    let now: Date
    /// Checked before every entry is sent; throws to stop the drain (the reflow's lease, see
    /// ``ReflowLease/confirm()``), so a run that lost its lease sends nothing more.
    var fence: @Sendable () async throws -> Void = {}

    struct Outcome {
        var done = 0
        var failed = 0
        var pending = 0
    }

    func drain(runID: UUID?) async throws -> Outcome {
        var outcome = Outcome()
        // Switched off while entries wait (an admin stopping writes mid-day): they stay queued.
        guard try await WritingSwitch.mode(on: database) == .on else {
            outcome.pending = try await OutboxRecord.query(on: database).filter(\.$state == "pending").count()
            return outcome
        }
        let entries = try await OutboxRecord.query(on: database).filter(\.$state == "pending").sort(\.$createdAt).all()
        for entry in entries {
            guard let link = try await ServiceCallLinkRecord.find(entry.linkID, on: database) else {
                entry.state = "failed"
                entry.lastError = "its service-call link is gone"
                try await entry.save(on: database)
                outcome.failed += 1
                continue
            }
            // An entry gets a few tries per run; after the first, every step looks before it acts.
            var lookFirst = entry.attempts > 0
            var tries = 0
            while true {
                // A run that lost the reflow lease is cancelled: no write after that (ReflowLease).
                try Task.checkCancellation()
                try await fence()
                // Count the attempt before sending: after a crash, a count above zero says "look first".
                entry.attempts += 1
                try await entry.save(on: database)
                do {
                    try await perform(entry, link: link, lookFirst: lookFirst, runID: runID ?? entry.runID)
                    entry.state = "done"
                    entry.lastError = nil
                    try await entry.save(on: database)
                    outcome.done += 1
                    break
                } catch let error as AutotaskError {
                    entry.lastError = error.description
                    tries += 1
                    lookFirst = true
                    switch error {
                    case .validation, .authentication:
                        entry.state = "failed"
                        outcome.failed += 1
                    case .budgetExhausted, .budgetReserved:
                        try await entry.save(on: database)
                        outcome.pending += 1
                        logger.warning("outbox paused: the API budget is spent", metadata: ["error": "\(error)"])
                        return outcome
                    case .outcomeUnknown where entry.kind == "create":
                        // A create that may still land: never create again in the same run. The
                        // next run looks it up by its marker first.
                        outcome.pending += 1
                    default:
                        if tries < 3 { continue }
                        outcome.pending += 1
                    }
                    try await entry.save(on: database)
                    logger.warning("outbox entry not done", metadata: ["kind": "\(entry.kind)", "error": "\(error)"])
                    break
                }
            }
        }
        return outcome
    }

    private func perform(_ entry: OutboxRecord, link: ServiceCallLinkRecord, lookFirst: Bool, runID: UUID?) async throws
    {
        switch entry.kind {
        case "create": try await create(link, lookFirst: lookFirst, runID: runID)
        case "move":
            guard let id = link.serviceCallID, let start = entry.start, let end = entry.end else { return }
            do {
                _ = try await client.update(
                    ServiceCall.self, id: id,
                    fields: [
                        "startDateTime": .date(start), "endDateTime": .date(end),
                        "duration": .double(end.timeIntervalSince(start) / 3600),
                    ])
            } catch .notFound {
                return try await forget(link, runID: runID)
            }
            link.start = start
            link.end = end
            try await link.save(on: database)
            try await audit(
                "update", id,
                "moved \(link.activityID) part \(link.part) to \(AutotaskDateText.instant(start))–\(AutotaskDateText.instant(end))",
                runID)
        case "finish":
            guard let id = link.serviceCallID, let end = entry.end else { return }
            do {
                _ = try await client.update(
                    ServiceCall.self, id: id, fields: ["endDateTime": .date(end), "isComplete": 1])
            } catch .notFound {
                return try await forget(link, runID: runID)
            }
            link.end = end
            link.isComplete = true
            try await link.save(on: database)
            try await audit(
                "update", id, "finished \(link.activityID) part \(link.part) at \(AutotaskDateText.instant(end))", runID
            )
        case "remove":
            if link.serviceCallID == nil {
                // A create that may have happened: find it by its marker before giving the block up.
                link.serviceCallID = try await lookUp("[liftoff:\(link.marker)]")
            }
            if let id = link.serviceCallID {
                do {
                    try await client.delete(ServiceCall.self, id: id)
                    try await audit("delete", id, "removed \(link.activityID) part \(link.part)", runID)
                } catch AutotaskError.notFound {
                    // Already gone: the goal is reached.
                }
            }
            try await link.delete(on: database)
        default:
            throw AutotaskError.validation(messages: ["unknown outbox entry kind \(entry.kind)"], status: 0)
        }
    }

    private func create(_ link: ServiceCallLinkRecord, lookFirst: Bool, runID: UUID?) async throws {
        guard let ticket = try await TicketRecord.query(on: database).filter(\.$ticketID == link.ticketID).first()
        else {
            throw AutotaskError.validation(messages: ["ticket \(link.ticketID) is not in the Store"], status: 0)
        }
        let marker = "[liftoff:\(link.marker)]"
        if link.serviceCallID == nil {
            var found: Int?
            if lookFirst { found = try await lookUp(marker) }
            if found == nil {
                let description =
                    try await BookingWrites.description(of: link, ticket: ticket, marker: marker, on: database)
                    ?? "\(ticket.number) \(ticket.title) — Liftoff \(link.part)/\(link.parts) \(marker)"
                let call = ServiceCall(
                    companyID: ticket.companyID,
                    description: description,
                    startDateTime: link.start, endDateTime: link.end,
                    duration: link.end.timeIntervalSince(link.start) / 3600,
                    status: 1)
                do {
                    found = try await client.create(call)
                    try await audit(
                        "create", found,
                        "created \(link.activityID) part \(link.part) \(AutotaskDateText.instant(link.start))–\(AutotaskDateText.instant(link.end))",
                        runID)
                } catch AutotaskError.outcomeUnknown(let message) {
                    // Maybe it was created: look before anything else.
                    logger.notice(
                        "create outcome unknown; looking the call up by its marker",
                        metadata: ["marker": "\(marker)", "error": "\(message)"])
                    found = try await lookUp(marker)
                    guard found != nil else { throw AutotaskError.outcomeUnknown(message) }
                }
            }
            link.serviceCallID = found
            try await link.save(on: database)
        }
        guard let callID = link.serviceCallID else { return }
        if link.serviceCallTicketID == nil {
            var found: Int?
            if lookFirst {
                found = try await client.query(
                    ServiceCallTicket.self,
                    filter: [.eq("serviceCallID", .integer(callID)), .eq("ticketID", .integer(link.ticketID))]
                ).first?.id
            }
            if found == nil {
                found = try await createChild(ServiceCallTicket(serviceCallID: callID, ticketID: link.ticketID))
            }
            link.serviceCallTicketID = found
            try await link.save(on: database)
        }
        guard let ticketLinkID = link.serviceCallTicketID else { return }
        if link.resourceLinkID == nil {
            var found: Int?
            if lookFirst {
                found = try await client.query(
                    ServiceCallTicketResource.self,
                    filter: [
                        .eq("serviceCallTicketID", .integer(ticketLinkID)),
                        .eq("resourceID", .integer(link.resourceID)),
                    ]
                ).first?.id
            }
            if found == nil {
                found = try await createChild(
                    ServiceCallTicketResource(serviceCallTicketID: ticketLinkID, resourceID: link.resourceID))
            }
            link.resourceLinkID = found
        }
        link.state = "created"
        try await link.save(on: database)
    }

    /// Creates a link record; after an unknown outcome the next attempt's lookup finds it.
    private func createChild<Entity: AutotaskChildEntity>(_ entity: Entity) async throws -> Int {
        // A create is three writes; the lease is confirmed before each, not only before the first.
        try await fence()
        return try await client.create(entity)
    }

    /// Forgets the link of a call deleted in Autotask (by a dispatcher, say), so the next run gives
    /// the block a new call instead of patching nothing forever.
    private func forget(_ link: ServiceCallLinkRecord, runID: UUID?) async throws {
        try await audit(
            "forget", link.serviceCallID,
            "service call of \(link.activityID) part \(link.part) was deleted in Autotask", runID)
        try await link.delete(on: database)
    }

    private func lookUp(_ marker: String) async throws -> Int? {
        try await client.query(ServiceCall.self, filter: [.contains("description", marker)], priority: .urgent).first?
            .id
    }

    private func audit(_ action: String, _ id: Int?, _ detail: String, _ runID: UUID?) async throws {
        let record = AuditRecord()
        record.at = now
        record.action = action
        record.entity = "ServiceCalls"
        record.entityID = id
        record.detail = detail
        record.runID = runID
        try await record.save(on: database)
    }
}
