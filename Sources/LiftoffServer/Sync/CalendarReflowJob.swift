import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Logging
import Metrics
import WallClock

/// One Calendar Reflow: import → plan → compare with the service calls Liftoff owns → write only
/// what changed, through the outbox → record what was done, why, and what it cost.
public struct CalendarReflowJob: Sendable {
    let client: AutotaskClient
    let database: Database
    let logger: Logger
    let clock: LiftoffClock

    /// How long a run holds the Store's lease without renewing it; a crashed process blocks others
    /// for at most this long. Renewed every quarter of it while the run goes on.
    let leaseDuration: TimeInterval
    /// Plans with the calls already on the calendar as `current` (*A calm calendar*). Off only to
    /// measure the earliest-start placement against it (`liftoff simulate`).
    let keepsCurrentBlocks: Bool

    public init(
        client: AutotaskClient, database: Database, logger: Logger, leaseDuration: TimeInterval = 120,
        clock: LiftoffClock = .system, keepsCurrentBlocks: Bool = true
    ) {
        self.client = client
        self.database = database
        self.logger = logger
        self.leaseDuration = leaseDuration
        self.clock = clock
        self.keepsCurrentBlocks = keepsCurrentBlocks
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
        /// `writing`, `preview` (the Store's writing switch is off: nothing was sent) or `dry-run`.
        public var mode: String = "writing"
        /// Changes not written because their technician needs attention (zone or hours unknown).
        public var heldForAttention: Int = 0
    }

    /// Runs one reflow, or throws ``ReflowBusy`` when another process is running one on the same Store.
    ///
    /// With `dryRun`, or while the Store's writing switch is off (*preview*), the run imports and
    /// plans but sends nothing to Autotask — no service call, no ticket status — and keeps what it
    /// would have done as the ``ReflowPreview`` instead.
    public func run(trigger: String, fullImport: Bool = false, dryRun: Bool = false) async throws -> Summary {
        let lease = ReflowLease(database: database, holder: UUID().uuidString)
        let duration = leaseDuration
        guard try await lease.acquire(for: duration) else { throw ReflowBusy() }
        do {
            let summary = try await withThrowingTaskGroup(of: Summary?.self) { group in
                group.addTask {
                    try await runHoldingLease(lease, trigger: trigger, fullImport: fullImport, dryRun: dryRun)
                }
                group.addTask {
                    try await Self.keep(lease, for: duration)
                    return nil
                }
                // The first to end decides: the run's summary, or the heartbeat's ReflowLeaseLost,
                // which cancels the run before its next write.
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else { throw CancellationError() }
                return first
            }
            try await lease.release()
            return summary
        } catch {
            try? await lease.release()
            if let lost = error as? ReflowLeaseLost {
                logger.error("reflow stopped writing", metadata: ["reason": "\(lost.reason)"])
            }
            throw error
        }
    }

    /// Renews the lease every quarter of its duration until cancelled. Throws ``ReflowLeaseLost`` when
    /// another holder has it, or when renewals keep failing until it could have expired: from then
    /// on another process may run, so this one must stop writing.
    static func keep(_ lease: ReflowLease, for duration: TimeInterval) async throws {
        let clock = ContinuousClock()
        var renewed = clock.now
        let deadline = Duration.milliseconds(Int64(duration * 750))
        while true {
            try await Task.sleep(for: .milliseconds(Int64(duration * 250)))
            do {
                guard try await lease.acquire(for: duration) else {
                    throw ReflowLeaseLost(reason: "another process holds it")
                }
                renewed = clock.now
            } catch let lost as ReflowLeaseLost {
                throw lost
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if clock.now - renewed >= deadline {
                    throw ReflowLeaseLost(reason: "it could not be renewed: \(error)")
                }
            }
        }
    }

    private func runHoldingLease(_ lease: ReflowLease, trigger: String, fullImport: Bool, dryRun: Bool) async throws
        -> Summary
    {
        let now = clock.now()
        let writes = dryRun ? false : try await WritingSwitch.mode(on: database) == .on
        let requestsBefore = await client.usage().requestsByThisClient
        let run = ReflowRunRecord()
        run.startedAt = now
        run.trigger = trigger
        run.outcome = "running"
        (run.created, run.moved, run.removed, run.apiRequests) = (0, 0, 0, 0)
        run.changes = ""
        try await run.save(on: database)
        do {
            var worker = ServiceCallOutboxWorker(client: client, database: database, logger: logger, now: now)
            // A quarter of the lease: a write that passes the check cannot outlast it (the heartbeat
            // renews at each quarter, so a healthy run always has more left).
            let margin = leaseDuration / 4
            worker.fence = { try await lease.confirm(margin: margin) }
            var leftover = ServiceCallOutboxWorker.Outcome()
            if writes {
                // Ticket status changes from the Workboard first, so the import reads them back.
                _ = try await TicketOutboxWorker(client: client, database: database, logger: logger, clock: clock)
                    .drain()
                // Finish what an earlier run left (a crash, an outage) before deciding anything new.
                leftover = try await worker.drain(runID: run.id)
                try await forgetFailedCreates(run: run, now: now)
            }
            var phases = PhaseTimer(apiTime: await client.usage().requestTime)
            var importer = AutotaskImporter(client: client, database: database, now: now, logger: logger)
            importer.windowDays = try await Self.longestHorizonDays(on: database) + 1
            let imported = try await importer.run(full: fullImport)
            phases.end("import", apiTime: await client.usage().requestTime)
            let rule = try await NextActivityRule(
                database: database, now: now, onlyTickets: imported.readTicketIDs
            ).apply()
            phases.end("rule")
            let built = try await ProblemBuilder(
                database: database, now: now, keepsCurrentBlocks: keepsCurrentBlocks
            ).build()
            phases.end("read")
            let answer = Planner.plan(built.problem)
            phases.end("plan")
            let blocks = answer.technicians.flatMap { technician in
                technician.calendar.map {
                    CalendarReflow.Block(
                        technicianId: technician.id, activityId: $0.activityId, part: $0.part, parts: $0.parts,
                        start: $0.start, end: $0.end)
                }
            }
            let allChanges = CalendarReflow.changes(
                planned: blocks, owned: built.owned, now: Self.instant(now), work: built.work)
            phases.end("diff")
            logger.notice("reflow import-to-diff", metadata: phases.metadata(technicians: built.technicians.count))
            // A technician who needs attention has no trustworthy zone or hours: their calls are
            // left as they are, and what the plan would do is only shown.
            let attention = Set(built.technicians.filter { $0.attention != nil }.map { String($0.resourceID) })
            let held = allChanges.filter { attention.contains($0.technicianId) }
            let changes = allChanges.filter { !attention.contains($0.technicianId) }
            guard writes else {
                return try await finishWithoutWriting(
                    run: run, mode: dryRun ? "dry-run" : "preview", changes: allChanges, built: built, answer: answer,
                    imported: imported, rule: rule, requestsBefore: requestsBefore, now: now)
            }
            if held.isEmpty {
                try await ReflowPreview.clear(on: database)
            } else {
                try await ReflowPreview(
                    madeAt: now, mode: "held", changes: held, ticketOfActivity: built.ticketOfActivity
                ).save(on: database)
            }
            let (lines, counts) = try await database.transactionStartingOverWhenBusy { transaction in
                // Queued only while the lease is ours: a run that lost it must not leave creates for
                // the new holder to send twice.
                try await ReflowLease(database: transaction, holder: lease.holder).confirm()
                let linkByCall = try await Self.links(of: changes, in: built.linkOfCall, on: transaction)
                var lines: [String] = []
                var counts = (created: 0, moved: 0, removed: 0)
                // The outbox runs in `createdAt` order: stamp this run's entries after every earlier
                // one, also when the clock has not moved since (a pinned clock, the day simulator).
                let latest = try await OutboxRecord.query(on: transaction).sort(\.$createdAt, .descending).first()?
                    .createdAt
                let base = max(now, latest ?? now)
                var sequence = 0
                func next() -> Date {
                    sequence += 1
                    return base.addingTimeInterval(Double(sequence) / 1000)
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
                            "create", link: link, reason: "new block", run: run, at: next(), on: transaction)
                        lines.append(
                            "create \(block.activityId) \(block.part)/\(block.parts) \(block.start)–\(block.end): new block"
                        )
                        counts.created += 1
                    case .move(let call, let block):
                        guard let link = linkByCall[call.serviceCallId] else { continue }
                        if link.serviceCallID == nil {
                            // Not created yet: the pending create uses the new times.
                            link.start = block.start.date
                            link.end = block.end.date
                            try await link.save(on: transaction)
                        } else {
                            try await Self.enqueue(
                                "move", link: link, start: block.start.date, end: block.end.date,
                                reason: "plan changed", run: run,
                                at: next(), on: transaction)
                        }
                        lines.append(
                            "move \(block.activityId) \(block.part)/\(block.parts) \(call.start)–\(call.end) → \(block.start)–\(block.end)"
                        )
                        counts.moved += 1
                    case .finish(let call, let at):
                        guard let link = linkByCall[call.serviceCallId] else { continue }
                        if link.serviceCallID == nil {
                            try await Self.cancelCreate(of: link, on: transaction)
                            try await Self.enqueue(
                                "remove", link: link, reason: "block gone before its call was made", run: run,
                                at: next(), on: transaction)
                        } else {
                            try await Self.enqueue(
                                "finish", link: link, end: at.date, reason: "activity done or moved", run: run,
                                at: next(), on: transaction)
                        }
                        lines.append("finish \(call.activityId) \(call.part) \(call.start)–\(call.end) → ends \(at)")
                        counts.moved += 1
                    case .remove(let call):
                        guard let link = linkByCall[call.serviceCallId] else { continue }
                        if link.serviceCallID == nil { try await Self.cancelCreate(of: link, on: transaction) }
                        try await Self.enqueue(
                            "remove", link: link, reason: "block gone", run: run, at: next(), on: transaction)
                        lines.append("remove \(call.activityId) \(call.part) \(call.start)–\(call.end): block gone")
                        counts.removed += 1
                    }
                }
                return (lines, counts)
            }
            let outcome = try await worker.drain(runID: run.id)
            let requests = await client.usage().requestsByThisClient - requestsBefore
            run.finishedAt = clock.now()
            run.outcome = outcome.pending + leftover.pending > 0 ? "incomplete" : "succeeded"
            run.created = counts.created
            run.moved = counts.moved
            run.removed = counts.removed
            run.apiRequests = requests
            run.changes = lines.joined(separator: "\n")
            try await run.save(on: database)
            // Imported changes (tickets, bookings, activities, calls moved) change what the pages show;
            // a run that changed nothing leaves them be (their estimates refresh with the clock anyway).
            let changed =
                imported.full || imported.tickets > 0 || imported.busyChanges > 0 || rule.created + rule.closed > 0
                || counts.created + counts.moved + counts.removed > 0
            if changed { try await PlanVersion.bump(on: database) }
            Self.record(run)
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
                pendingWrites: outcome.pending, apiRequests: requests, changes: lines, heldForAttention: held.count)
        } catch {
            run.finishedAt = clock.now()
            run.outcome = "failed"
            run.error = String(describing: error)
            run.apiRequests = await client.usage().requestsByThisClient - requestsBefore
            try? await run.save(on: database)
            Self.record(run)
            throw error
        }
    }

    /// The end of a run that writes nothing: the changes become the ``ReflowPreview``, described in
    /// each technician's own zone, and the run is recorded with outcome `preview` or `dry-run`.
    private func finishWithoutWriting(
        run: ReflowRunRecord, mode: String, changes: [CalendarReflow.Change], built: ProblemBuilder.Result,
        answer: PlanAnswer, imported: AutotaskImporter.Summary, rule: (created: Int, closed: Int),
        requestsBefore: Int, now: Date
    ) async throws -> Summary {
        let preview = ReflowPreview(
            madeAt: now, mode: mode, changes: changes, ticketOfActivity: built.ticketOfActivity)
        try await preview.save(on: database)
        let technicians = Dictionary(built.technicians.map { ($0.resourceID, $0) }) { first, _ in first }
        let lines = preview.changes.map { change -> String in
            let technician = technicians[change.technicianID]
            let zone = technician.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt
            let ticket = change.ticketID.flatMap { built.tickets[$0]?.number } ?? change.activityID
            let who = technician.map { "\($0.name)\($0.attention == nil ? "" : " (needs attention)")" } ?? "?"
            return "\(who): " + PreviewLine(timeZone: zone).describe(change, ticket: ticket)
        }
        let count = { (kind: String) in preview.changes.filter { $0.kind == kind }.count }
        let requests = await client.usage().requestsByThisClient - requestsBefore
        run.finishedAt = clock.now()
        run.outcome = mode
        run.created = count("create")
        run.moved = count("move") + count("finish")
        run.removed = count("remove")
        run.apiRequests = requests
        run.changes = lines.joined(separator: "\n")
        try await run.save(on: database)
        if imported.full || imported.tickets > 0 || imported.busyChanges > 0 || rule.created + rule.closed > 0 {
            try await PlanVersion.bump(on: database)
        }
        Self.record(run)
        logger.info(
            "calendar reflow wrote nothing",
            metadata: ["mode": "\(mode)", "changes": "\(changes.count)", "requests": "\(requests)"])
        let attention = Set(built.technicians.filter { $0.attention != nil }.map(\.resourceID))
        return Summary(
            runID: run.id!, outcome: mode, fullImport: imported.full, created: run.created, moved: run.moved,
            removed: run.removed, unscheduled: answer.technicians.reduce(0) { $0 + $1.unscheduled.count },
            pendingWrites: 0, apiRequests: requests, changes: lines, mode: mode,
            heldForAttention: preview.changes.filter { attention.contains($0.technicianID) }.count)
    }

    /// Counts the run and its changes for `/metrics`.
    static func record(_ run: ReflowRunRecord) {
        Counter(label: "liftoff_reflow_runs_total", dimensions: [("outcome", run.outcome)]).increment()
        Counter(label: "liftoff_reflow_service_call_changes_total", dimensions: [("change", "created")])
            .increment(by: run.created)
        Counter(label: "liftoff_reflow_service_call_changes_total", dimensions: [("change", "moved")])
            .increment(by: run.moved)
        Counter(label: "liftoff_reflow_service_call_changes_total", dimensions: [("change", "removed")])
            .increment(by: run.removed)
        if let finished = run.finishedAt {
            Metrics.Timer(label: "liftoff_reflow_duration").recordSeconds(finished.timeIntervalSince(run.startedAt))
        }
    }

    /// Links whose create Autotask refused for good are forgotten, so their blocks are planned
    /// afresh — unless an attempt made the call after all, which is then adopted.
    private func forgetFailedCreates(run: ReflowRunRecord, now: Date) async throws {
        for link in try await ServiceCallLinkRecord.query(on: database).filter(\.$serviceCallID == nil).all() {
            let waiting = try await OutboxRecord.query(on: database).filter(\.$linkID == link.requireID())
                .filter(\.$state == "pending").count()
            guard waiting == 0 else { continue }
            let found = try await client.query(
                ServiceCall.self, filter: [.contains("description", "[liftoff:\(link.marker)]")], priority: .urgent
            ).first?.id
            guard let found else {
                try await link.delete(on: database)
                continue
            }
            link.serviceCallID = found
            try await link.save(on: database)
            // Its ticket and resource links may be missing: the create finishes them, looking first.
            try await Self.enqueue(
                "create", link: link, reason: "adopt a call made by a failed attempt", run: run, at: now, on: database)
            let entry = try await OutboxRecord.query(on: database).filter(\.$linkID == link.requireID()).filter(
                \.$state == "pending"
            ).first()
            entry?.attempts = 1
            try await entry?.save(on: database)
        }
    }

    /// Stops a pending create; the remove queued after it deletes the call if an earlier attempt made it.
    private static func cancelCreate(of link: ServiceCallLinkRecord, on database: Database) async throws {
        for entry in try await OutboxRecord.query(on: database).filter(\.$linkID == link.requireID())
            .filter(\.$state == "pending").all() where entry.kind == "create"
        {
            entry.state = "cancelled"
            try await entry.save(on: database)
        }
    }

    /// The link records the changes to existing calls need, read in the transaction that changes
    /// them (the plan's read kept plain rows of every link; only the few a run touches are loaded).
    private static func links(
        of changes: [CalendarReflow.Change], in linkOfCall: [Int: StoreRows.Link], on database: Database
    ) async throws -> [Int: ServiceCallLinkRecord] {
        var callOfLink: [UUID: Int] = [:]
        for change in changes {
            switch change {
            case .create: continue
            case .move(let call, _), .finish(let call, _), .remove(let call):
                if let link = linkOfCall[call.serviceCallId] { callOfLink[link.id] = call.serviceCallId }
            }
        }
        guard !callOfLink.isEmpty else { return [:] }
        var linkByCall: [Int: ServiceCallLinkRecord] = [:]
        let records = try await ServiceCallLinkRecord.query(on: database).filter(\.$id ~~ Array(callOfLink.keys)).all()
        for record in records {
            if let id = record.id, let call = callOfLink[id] { linkByCall[call] = record }
        }
        return linkByCall
    }

    private static func enqueue(
        _ kind: String, link: ServiceCallLinkRecord, start: Date? = nil, end: Date? = nil, reason: String,
        run: ReflowRunRecord,
        at: Date, on database: Database
    ) async throws {
        try await OutboxRecord.queue(
            kind, link: link, start: start, end: end, reason: reason, runID: run.id, now: at, on: database)
    }

    /// The longest planning horizon of the site and its technicians, so import reads every meeting
    /// the planner will plan around.
    static func longestHorizonDays(on database: Database) async throws -> Int {
        let texts = try await SettingRecord.query(on: database).all().map(\.value)
        var longest = Settings().horizonDays
        for text in texts {
            if case .object(let object)? = try? JSONParser.parse(Array(text.utf8)),
                case .integer(let days)? = object["horizonDays"]
            {
                longest = max(longest, Int(min(max(days, 1), 366)))
            }
        }
        return longest
    }

    static func newMarker() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)).lowercased()
    }

    static func instant(_ date: Date) -> Instant {
        Instant(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}

/// Another process is running Calendar Reflow on the same Store; try again when it is done.
public struct ReflowBusy: Error, CustomStringConvertible {
    public var description: String {
        "another Liftoff process is running Calendar Reflow on this Store; try again shortly"
    }
}

extension Instant {
    var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }
}
