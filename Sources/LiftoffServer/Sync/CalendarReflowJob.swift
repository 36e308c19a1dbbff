import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Logging

/// One Calendar Reflow: import → plan → compare with the service calls Liftoff owns → write only
/// what changed, through the outbox → record what was done, why, and what it cost.
public struct CalendarReflowJob: Sendable {
    let client: AutotaskClient
    let database: Database
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(
        client: AutotaskClient, database: Database, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.database = database
        self.logger = logger
        self.clock = clock
    }

    /// What a run did, as the API and `liftoff reflow` report it.
    public struct Summary: Codable, Sendable, Equatable {
        public var runID: UUID
        public var outcome: String
        public var fullImport: Bool
        public var created: Int
        public var moved: Int
        public var removed: Int
        public var unscheduled: Int
        public var pendingWrites: Int
        public var apiRequests: Int
        /// One line per change: activity, part, old → new times, reason.
        public var changes: [String]
    }

    public func run(trigger: String, fullImport: Bool = false) async throws -> Summary {
        let now = clock()
        let requestsBefore = await client.usage().requestsByThisClient
        let run = ReflowRunRecord()
        run.startedAt = now
        run.trigger = trigger
        run.outcome = "running"
        (run.created, run.moved, run.removed, run.apiRequests) = (0, 0, 0, 0)
        run.changes = ""
        try await run.save(on: database)
        do {
            let worker = OutboxWorker(client: client, database: database, logger: logger, now: now)
            // Finish what an earlier run left (a crash, an outage) before deciding anything new.
            let leftover = try await worker.drain(runID: run.id)
            // Links whose create failed for good (Autotask refused it) are forgotten, so the block
            // is planned afresh instead of waiting forever.
            for link in try await ServiceCallLinkRecord.query(on: database).filter(\.$serviceCallID == nil).all() {
                let waiting = try await OutboxRecord.query(on: database).filter(\.$linkID == link.requireID())
                    .filter(\.$state == "pending").count()
                if waiting == 0 { try await link.delete(on: database) }
            }
            let imported = try await AutotaskImporter(client: client, database: database, now: now, logger: logger).run(
                full: fullImport)
            _ = try await NextActivityRule(database: database, now: now).apply()
            let built = try await ProblemBuilder(database: database, now: now).build()
            let answer = Planner.plan(built.problem)
            let blocks = answer.technicians.flatMap { technician in
                technician.calendar.map {
                    CalendarReflow.Block(
                        technicianId: technician.id, activityId: $0.activityId, part: $0.part, parts: $0.parts,
                        start: $0.start, end: $0.end)
                }
            }
            let links = try await ServiceCallLinkRecord.query(on: database).filter(\.$serviceCallID != nil).all()
            let owned = links.map { link in
                CalendarReflow.OwnedCall(
                    serviceCallId: link.serviceCallID ?? 0, technicianId: String(link.resourceID),
                    activityId: link.activityID,
                    part: link.part, start: Self.instant(link.start), end: Self.instant(link.end),
                    isComplete: link.isComplete)
            }
            let changes = CalendarReflow.changes(planned: blocks, owned: owned, now: Self.instant(now))
            let (lines, counts) = try await database.transaction { transaction in
                var lines: [String] = []
                var counts = (created: 0, moved: 0, removed: 0)
                var sequence = 0
                func next() -> Date {
                    sequence += 1
                    return now.addingTimeInterval(Double(sequence) / 1000)
                }
                for change in changes {
                    switch change {
                    case .create(let block):
                        guard let ticketID = built.ticketOfActivity[block.activityId],
                            let resourceID = Int(block.technicianId)
                        else { continue }
                        let link = ServiceCallLinkRecord()
                        link.marker = Self.newMarker()
                        link.resourceID = resourceID
                        link.ticketID = ticketID
                        link.activityID = block.activityId
                        link.part = block.part
                        link.parts = block.parts
                        link.start = block.start.date
                        link.end = block.end.date
                        link.isComplete = false
                        link.state = "pending"
                        try await link.save(on: transaction)
                        try await Self.enqueue(
                            "create", link: link, start: nil, end: nil, reason: "new block", run: run, at: next(),
                            on: transaction)
                        lines.append(
                            "create \(block.activityId) \(block.part)/\(block.parts) \(block.start)–\(block.end): new block"
                        )
                        counts.created += 1
                    case .move(let call, let block):
                        guard let link = links.first(where: { $0.serviceCallID == call.serviceCallId }) else {
                            continue
                        }
                        try await Self.enqueue(
                            "move", link: link, start: block.start.date, end: block.end.date, reason: "plan changed",
                            run: run, at: next(), on: transaction)
                        lines.append(
                            "move \(block.activityId) \(block.part)/\(block.parts) \(call.start)–\(call.end) → \(block.start)–\(block.end)"
                        )
                        counts.moved += 1
                    case .finish(let call, let at):
                        guard let link = links.first(where: { $0.serviceCallID == call.serviceCallId }) else {
                            continue
                        }
                        try await Self.enqueue(
                            "finish", link: link, start: nil, end: at.date, reason: "activity done or moved", run: run,
                            at: next(), on: transaction)
                        lines.append("finish \(call.activityId) \(call.part) \(call.start)–\(call.end) → ends \(at)")
                        counts.moved += 1
                    case .remove(let call):
                        guard let link = links.first(where: { $0.serviceCallID == call.serviceCallId }) else {
                            continue
                        }
                        try await Self.enqueue(
                            "remove", link: link, start: nil, end: nil, reason: "block gone", run: run, at: next(),
                            on: transaction)
                        lines.append("remove \(call.activityId) \(call.part) \(call.start)–\(call.end): block gone")
                        counts.removed += 1
                    }
                }
                return (lines, counts)
            }
            let outcome = try await worker.drain(runID: run.id)
            let requests = await client.usage().requestsByThisClient - requestsBefore
            run.finishedAt = clock()
            run.outcome = outcome.pending + leftover.pending > 0 ? "incomplete" : "succeeded"
            run.created = counts.created
            run.moved = counts.moved
            run.removed = counts.removed
            run.apiRequests = requests
            run.changes = lines.joined(separator: "\n")
            try await run.save(on: database)
            logger.info(
                "calendar reflow",
                metadata: [
                    "created": "\(counts.created)", "moved": "\(counts.moved)", "removed": "\(counts.removed)",
                    "requests": "\(requests)", "full": "\(imported.full)",
                ])
            return Summary(
                runID: run.id!, outcome: run.outcome, fullImport: imported.full, created: counts.created,
                moved: counts.moved,
                removed: counts.removed, unscheduled: answer.technicians.reduce(0) { $0 + $1.unscheduled.count },
                pendingWrites: outcome.pending, apiRequests: requests, changes: lines)
        } catch {
            run.finishedAt = clock()
            run.outcome = "failed"
            run.error = String(describing: error)
            run.apiRequests = await client.usage().requestsByThisClient - requestsBefore
            try? await run.save(on: database)
            throw error
        }
    }

    private static func enqueue(
        _ kind: String, link: ServiceCallLinkRecord, start: Date?, end: Date?, reason: String, run: ReflowRunRecord,
        at: Date,
        on database: Database
    ) async throws {
        let entry = OutboxRecord()
        entry.kind = kind
        entry.linkID = try link.requireID()
        entry.start = start
        entry.end = end
        entry.state = "pending"
        entry.attempts = 0
        entry.reason = reason
        entry.runID = run.id
        entry.createdAt = at
        try await entry.save(on: database)
    }

    static func newMarker() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)).lowercased()
    }

    static func instant(_ date: Date) -> Instant {
        Instant(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}

extension Instant {
    var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }
}
