import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore

extension AutotaskImporter {
    /// Tickets changed in what planning shows, and the ids of every ticket read.
    ///
    /// The Store side is a few statements, not a few per ticket: the stored rows of the tickets read
    /// come in one query (a few for a long incremental list), a ticket whose stored fields are all
    /// equal is not written, and new tickets are inserted in batches. At 500 technicians a full pass
    /// reads about 5,000 tickets; one select and one save each was most of a 20-second re-import that
    /// changed nothing (BENCHMARKS.md).
    func importTickets(since cursor: Date?) async throws -> (changed: Int, read: Set<Int>) {
        let fields = try await ticketPicklists()
        var filter: [QueryFilter]
        if let cursor {
            filter = [.gte("lastActivityDate", .date(cursor))]
        } else {
            filter = [.notIn("status", fields.closedStatuses)]
        }
        let answer = try await client.query(
            Ticket.self, filter: filter, priority: cursor == nil ? .background : .normal)
        // A ticket that moved between pages while they were read comes twice: its last copy counts.
        var tickets: [Int: Ticket] = [:]
        for ticket in answer {
            if let id = ticket.id { tickets[id] = ticket }
        }
        let stored = try await storedTickets(Array(tickets.keys), withEveryOpenOne: cursor == nil)
        var changed = 0
        var created: [TicketRecord] = []
        for (id, ticket) in tickets.sorted(by: { $0.key < $1.key }) {
            let existing = stored[id]
            let record = existing ?? TicketRecord()
            let before = existing.map(Self.storedFields(of:))
            let planningBefore = existing.map(Self.planningFields(of:))
            let previous = existing.map { (assignee: $0.assignedResourceID, isOpen: $0.isOpen) }
            record.ticketID = id
            record.number = ticket.ticketNumber ?? "#\(id)"
            record.title = ticket.title ?? ""
            record.status = ticket.status ?? 0
            record.priority = ticket.priority ?? 0
            record.priorityRank = fields.ranks[ticket.priority ?? -1] ?? fields.ranks.count + 1
            record.queueID = ticket.queueID
            record.companyID = ticket.companyID
            record.assignedResourceID = ticket.assignedResourceID
            // Without a create date the first import's instant stands: `now` would differ every pass.
            record.createdAt = ticket.createDate ?? existing?.createdAt ?? now
            record.dueAt = ticket.dueDateTime
            record.lastActivityAt = ticket.lastActivityDate
            record.isOpen = !fields.closedStatuses.contains(ticket.status ?? -1) && ticket.completedDate == nil
            // Reassigned or reopened: its assignee gets a new Next Activity. A full import catches a
            // reassignment the incremental read missed, as it compares with the Store, not a feed.
            if let previous, record.isOpen, !previous.isOpen || previous.assignee != record.assignedResourceID {
                record.assignedAt = now
            }
            if planningBefore != Self.planningFields(of: record) { changed += 1 }
            if existing == nil {
                created.append(record)
            } else if before != Self.storedFields(of: record) {
                try await record.update(on: database)
            }
        }
        for batch in created.batches(of: 500) {
            try await batch.create(on: database)
        }
        if cursor == nil {
            // A full pass sees every open ticket: the rest are closed.
            let vanished = stored.values.filter { $0.isOpen && tickets[$0.ticketID] == nil }.compactMap(\.id)
            for batch in vanished.batches(of: 500) {
                try await TicketRecord.query(on: database).filter(\.$id ~~ batch).set(\.$isOpen, to: false).update()
            }
            changed += vanished.count
        }
        return (changed, Set(tickets.keys))
    }

    /// The stored rows of the tickets `ids`, by ticket id; with `withEveryOpenOne` (a full pass, which
    /// closes the open ones it did not read) also every row still open. Closed history is read only
    /// for the tickets read (a reopened one): it grows for ever and a full pass need not load it.
    private func storedTickets(_ ids: [Int], withEveryOpenOne: Bool) async throws -> [Int: TicketRecord] {
        var rows: [TicketRecord] = []
        var missing = ids
        if withEveryOpenOne {
            rows = try await TicketRecord.query(on: database).filter(\.$isOpen == true).all()
            let open = Set(rows.map(\.ticketID))
            missing = ids.filter { !open.contains($0) }
        }
        for batch in missing.batches(of: 500) {
            rows += try await TicketRecord.query(on: database).filter(\.$ticketID ~~ batch).all()
        }
        return Dictionary(rows.map { ($0.ticketID, $0) }) { first, _ in first }
    }

    /// What of a ticket the plan and the pages show; a re-read ticket whose fields are all equal is
    /// no change (the incremental read always sees the ticket at its cursor again).
    static func planningFields(of record: TicketRecord) -> [String] {
        [
            record.number, record.title, String(record.status), String(record.priorityRank),
            record.assignedResourceID.map(String.init) ?? "-", record.queueID.map(String.init) ?? "-",
            milliseconds(record.createdAt), milliseconds(record.dueAt), String(record.isOpen),
        ]
    }

    /// Every column the import writes: a row whose columns are all equal is not written again.
    static func storedFields(of record: TicketRecord) -> [String] {
        planningFields(of: record) + [
            String(record.priority), record.companyID.map(String.init) ?? "-",
            milliseconds(record.lastActivityAt), milliseconds(record.assignedAt),
        ]
    }

    private static func milliseconds(_ date: Date?) -> String {
        date.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? "-"
    }

    struct TicketPicklists {
        /// Rank 1 is the most urgent: picklist sort order, never the raw value.
        var ranks: [Int: Int]
        var closedStatuses: [Int]
    }

    private func ticketPicklists() async throws -> TicketPicklists {
        let fields = try await client.fields(Ticket.self, priority: .normal)
        let priorities = (fields.first { $0.name == "priority" }?.picklistValues ?? []).filter { $0.isActive ?? true }
        var ranks: [Int: Int] = [:]
        for (rank, value) in priorities.sorted(by: { ($0.sortOrder ?? 0, $0.value) < ($1.sortOrder ?? 0, $1.value) })
            .enumerated()
        {
            if let number = Int(value.value) { ranks[number] = rank + 1 }
        }
        let statuses = fields.first { $0.name == "status" }?.picklistValues ?? []
        let closed = statuses.filter { $0.label.lowercased() == "complete" }.compactMap { Int($0.value) }
        // Kept for the Workboard's workflow, which sets statuses by label.
        let active = statuses.filter { $0.isActive ?? true }.compactMap { value in
            Int(value.value).map { TicketStatusChoice(value: $0, label: value.label) }
        }
        if !active.isEmpty, let text = try? JSONEncoder().encode(active) {
            try await SettingsStore.set(
                TicketStatusChoice.settingKey, String(decoding: text, as: UTF8.self), on: database)
        }
        return TicketPicklists(ranks: ranks, closedStatuses: closed.isEmpty ? [5] : closed)
    }
}
