import Fluent
import Foundation
import LiftoffCore

/// What a reflow would write to Autotask but did not — because the Store is in preview, or the run
/// was a `--dry-run` — kept so the Settings page and the API can show it for review.
///
/// Also what a writing run *held back*: changes for technicians who need attention are never sent
/// (their zone or hours are not known, so their times could be anywhere), and are listed here.
struct ReflowPreview: Codable, Sendable, Equatable {
    static let settingKey = "reflowPreview"

    struct Change: Codable, Sendable, Equatable {
        /// `create`, `move`, `finish` or `remove`, as in the outbox.
        var kind: String
        var technicianID: Int
        var activityID: String
        var ticketID: Int?
        var part: Int
        var parts: Int?
        /// The call as it is now (moves, finishes and removes).
        var fromStart: Date?
        var fromEnd: Date?
        /// The call as it would be (creates and moves; a finish ends at `end`).
        var start: Date?
        var end: Date?
    }

    /// When the run that made it planned.
    var madeAt: Date
    /// `preview` (writing is off), `dry-run` (`liftoff reflow --dry-run`) or `held` (writing is on;
    /// only the changes held for technicians who need attention).
    var mode: String
    var changes: [Change]

    init(madeAt: Date, mode: String, changes: [CalendarReflow.Change], ticketOfActivity: [String: Int]) {
        self.madeAt = madeAt
        self.mode = mode
        self.changes = changes.map { change in
            switch change {
            case .create(let block):
                Change(
                    kind: "create", technicianID: Int(block.technicianId) ?? 0, activityID: block.activityId,
                    ticketID: ticketOfActivity[block.activityId], part: block.part, parts: block.parts,
                    start: block.start.date, end: block.end.date)
            case .move(let call, let block):
                Change(
                    kind: "move", technicianID: Int(block.technicianId) ?? 0, activityID: block.activityId,
                    ticketID: ticketOfActivity[block.activityId], part: block.part, parts: block.parts,
                    fromStart: call.start.date, fromEnd: call.end.date, start: block.start.date, end: block.end.date)
            case .finish(let call, let at):
                Change(
                    kind: "finish", technicianID: Int(call.technicianId) ?? 0, activityID: call.activityId,
                    ticketID: ticketOfActivity[call.activityId], part: call.part, fromStart: call.start.date,
                    fromEnd: call.end.date, start: call.start.date, end: at.date)
            case .remove(let call):
                Change(
                    kind: "remove", technicianID: Int(call.technicianId) ?? 0, activityID: call.activityId,
                    ticketID: ticketOfActivity[call.activityId], part: call.part, fromStart: call.start.date,
                    fromEnd: call.end.date)
            }
        }
    }

    static func load(on database: Database) async throws -> ReflowPreview? {
        guard let text = try await SettingsStore.get(settingKey, on: database) else { return nil }
        return try? Self.decoder.decode(ReflowPreview.self, from: Data(text.utf8))
    }

    func save(on database: Database) async throws {
        let data = try Self.encoder.encode(self)
        try await SettingsStore.set(Self.settingKey, String(decoding: data, as: UTF8.self), on: database)
    }

    static func clear(on database: Database) async throws {
        try await SettingRecord.query(on: database).filter(\.$key == settingKey).delete()
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}

/// One change in words, with times in the technician's own zone: what a dispatcher checks against
/// the technician's real day before switching writing on.
struct PreviewLine {
    let timeZone: TimeZone

    func describe(_ change: ReflowPreview.Change, ticket: String) -> String {
        let part = change.parts.map { $0 > 1 ? " (part \(change.part) of \($0))" : "" } ?? ""
        let what = "\(ticket)\(part)"
        switch change.kind {
        case "create": return "create \(what): \(span(change.start, change.end))"
        case "move":
            return "move \(what): \(span(change.fromStart, change.fromEnd)) → \(span(change.start, change.end))"
        case "finish": return "end \(what) at \(time(change.end)): was \(span(change.fromStart, change.fromEnd))"
        default: return "remove \(what): \(span(change.fromStart, change.fromEnd))"
        }
    }

    func span(_ start: Date?, _ end: Date?) -> String {
        guard let start, let end else { return "?" }
        let sameDay = day(start) == day(end)
        return "\(day(start)) \(clock(start))–\(sameDay ? "" : day(end) + " ")\(clock(end))"
    }

    func time(_ date: Date?) -> String { date.map { "\(day($0)) \(clock($0))" } ?? "?" }

    private func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.weekday, .day, .month], from: date)
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][(parts.weekday ?? 1) - 1]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
            (parts.month ?? 1) - 1]
        return "\(weekday) \(parts.day ?? 0) \(month)"
    }

    private func clock(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
