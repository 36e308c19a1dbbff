import Crypto
import Fluent
import Foundation
import LiftoffCore
import SQLKit

/// Each technician's calendar as a subscribable ICS feed (docs/booking.md, *Calendar feeds*): their
/// Next Activity blocks, fixed appointments and imported service calls, for calendars that do not get
/// Autotask's Exchange export. The address is secret — the technician's id, a generation and an
/// HMAC over both — and a new generation (*new address*) stops the old one.
///
/// Events keep their UID while they move (a block by activity and part, an appointment by its
/// source), and SEQUENCE counts their moves: the feed remembers the times it last served
/// (`feed_events`) and counts up when they changed, so a subscribed calendar updates the event
/// instead of keeping two.
struct CalendarFeed: Sendable {
    let database: Database
    private let key: SymmetricKey

    init(database: Database, box: SecretBox) {
        self.database = database
        let derived = HMAC<SHA256>.authenticationCode(for: Data("liftoff calendar feeds v1".utf8), using: box.key)
        key = SymmetricKey(data: Data(derived))
    }

    static func settingKey(_ resourceID: Int) -> String { "feed:\(resourceID)" }

    /// The technician's current generation (1 until the first new address).
    func generation(of resourceID: Int) async throws -> Int {
        Int(try await SettingsStore.get(Self.settingKey(resourceID), on: database) ?? "") ?? 1
    }

    /// `/feeds/<id>-<generation>-<signature>.ics`
    func path(of resourceID: Int) async throws -> String {
        let generation = try await generation(of: resourceID)
        return "/feeds/\(resourceID)-\(generation)-\(signature(resourceID, generation)).ics"
    }

    /// A new address; the old one stops working at once.
    func renew(_ resourceID: Int) async throws -> String {
        let next = try await generation(of: resourceID) + 1
        try await SettingsStore.set(Self.settingKey(resourceID), String(next), on: database)
        return try await path(of: resourceID)
    }

    /// The technician a feed file name belongs to, when its signature and generation hold.
    func technician(in file: String) async throws -> Int? {
        guard file.hasSuffix(".ics") else { return nil }
        let parts = file.dropLast(4).split(separator: "-", maxSplits: 2).map(String.init)
        guard parts.count == 3, let resourceID = Int(parts[0]), let generation = Int(parts[1]),
            AccountMiddleware.constantTimeEqual(parts[2], signature(resourceID, generation)),
            try await self.generation(of: resourceID) == generation
        else { return nil }
        return resourceID
    }

    private func signature(_ resourceID: Int, _ generation: Int) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("feed:\(resourceID):\(generation)".utf8), using: key)
        return Data(code.prefix(16)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - The feed

    struct Event: Sendable {
        var uid: String
        var start: Date
        var end: Date
        var summary: String
        var description: String
    }

    /// What the plan puts on the technician's calendar from a day ago on: blocks, fixed appointments,
    /// imported calls.
    static func events(of resourceID: Int, in snapshot: PlanSnapshot, now: Date) -> [Event] {
        guard let index = snapshot.indexByResource[resourceID] else { return [] }
        let since = now.addingTimeInterval(-86_400)
        var events: [Event] = []
        for block in snapshot.answer.technicians[index].calendar where block.end.date > since {
            let activity = snapshot.activities[block.activityId]
            let ticket = activity.flatMap { snapshot.tickets[$0.ticketID] }
            let part = block.parts > 1 ? " (part \(block.part) of \(block.parts))" : ""
            events.append(
                Event(
                    uid: "block-\(block.activityId)-\(block.part)@liftoff", start: block.start.date,
                    end: block.end.date,
                    summary: "\(ticket.map { "\($0.number) \($0.title)" } ?? block.activityId)\(part)",
                    description: "Next Activity planned by Liftoff; the Workboard has the order and the reasons."))
        }
        for item in snapshot.busy[resourceID] ?? [] where item.end > since {
            guard item.kind == "fixed" || item.kind == "imported" else { continue }
            events.append(
                Event(
                    uid: "\(item.source.replacingOccurrences(of: ":", with: "-").lowercased())@liftoff",
                    start: item.start, end: item.end,
                    summary: item.title ?? (item.kind == "fixed" ? "Appointment" : "Service call"),
                    description: item.kind == "fixed"
                        ? "Fixed appointment" : "Service call in Autotask (not written by Liftoff)"))
        }
        return events.sorted { ($0.start, $0.uid) < ($1.start, $1.uid) }
    }

    /// The feed's text, with each event's SEQUENCE counted up where its times changed since it was
    /// last served.
    func text(of resourceID: Int, name: String, events: [Event], stamp: Date) async throws -> String {
        let sequences = try await database.transactionStartingOverWhenBusy { transaction in
            if let sql = transaction as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT pg_advisory_xact_lock(7423002)").run()
            }
            let stored = try await FeedEventRecord.query(on: transaction).filter(\.$resourceID == resourceID).all()
            var byUID = Dictionary(stored.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
            var sequences: [String: Int] = [:]
            for event in events {
                if let row = byUID[event.uid] {
                    if row.start != event.start || row.end != event.end {
                        row.start = event.start
                        row.end = event.end
                        row.sequence += 1
                        try await row.save(on: transaction)
                    }
                    sequences[event.uid] = row.sequence
                } else {
                    let row = FeedEventRecord()
                    row.resourceID = resourceID
                    row.uid = event.uid
                    row.start = event.start
                    row.end = event.end
                    row.sequence = 0
                    try await row.create(on: transaction)
                    byUID[event.uid] = row
                    sequences[event.uid] = 0
                }
            }
            return sequences
        }
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Liftoff//Technician calendar//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:\(ICalendarFile.escape("\(name) — Liftoff"))",
            "REFRESH-INTERVAL;VALUE=DURATION:PT15M", "X-PUBLISHED-TTL:PT15M",
        ]
        for event in events {
            lines += [
                "BEGIN:VEVENT", "UID:\(event.uid)", "DTSTAMP:\(ICalendarFile.utc(stamp))",
                "SEQUENCE:\(sequences[event.uid] ?? 0)", "DTSTART:\(ICalendarFile.utc(event.start))",
                "DTEND:\(ICalendarFile.utc(event.end))", "SUMMARY:\(ICalendarFile.escape(event.summary))",
                "DESCRIPTION:\(ICalendarFile.escape(event.description))", "TRANSP:OPAQUE", "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(ICalendarFile.fold).joined(separator: "\r\n") + "\r\n"
    }
}

/// The times a feed last served for an event, and how often they changed (its SEQUENCE).
final class FeedEventRecord: Model, @unchecked Sendable {
    static let schema = "feed_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "resource_id") var resourceID: Int
    @Field(key: "uid") var uid: String
    @Field(key: "start") var start: Date
    @Field(key: "end") var end: Date
    @Field(key: "sequence") var sequence: Int

    init() {}
}

/// The `feed_events` table.
struct CreateFeedEvents: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(FeedEventRecord.schema).id()
            .field("resource_id", .int, .required)
            .field("uid", .string, .required)
            .field("start", .datetime, .required)
            .field("end", .datetime, .required)
            .field("sequence", .int, .required)
            .unique(on: "resource_id", "uid")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(FeedEventRecord.schema).delete()
    }
}
