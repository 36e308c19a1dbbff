import Foundation
import LiftoffCore

/// A stretch of time `[start, end)` in milliseconds since 1970: the simulator's one interval type.
struct Stretch: Hashable, Sendable {
    var start: Int64
    var end: Int64

    func overlaps(_ other: Stretch) -> Bool { start < other.end && other.start < end }
    func contains(_ instant: Int64) -> Bool { start <= instant && instant < end }
    func contains(_ other: Stretch) -> Bool { start <= other.start && other.end <= end }
    var minutes: Int64 { (end - start) / 60_000 }
}

extension Date {
    /// Milliseconds since 1970, as ``Stretch`` counts them.
    var simulationMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}

/// The PSA's calendar as people see it in Outlook, read from the PSA's records (not from Liftoff's
/// Store), so the measurements judge what Liftoff actually wrote.
///
/// Liftoff's calls are the service calls with a `[liftoff:…]` marker; their ticket and technician
/// come from the call's ticket and resource links, the part from the description Liftoff writes
/// (`T20260914.0001 Printer offline — Liftoff 1/2 [liftoff:…]`).
struct CalendarMirror {
    struct LiftoffCall: Hashable {
        var id: Int
        var resourceID: Int
        var ticketID: Int
        var part: Int
        var span: Stretch
        var isComplete: Bool
        /// The activity the rule made for this ticket and technician (the simulation makes no others).
        var activityID: String { "NA-\(ticketID)-\(resourceID)" }
    }

    struct Appointment: Hashable {
        var id: Int
        var span: Stretch
        var title: String
    }

    /// Liftoff's calls by id.
    var liftoffCalls: [Int: LiftoffCall] = [:]
    /// Liftoff's calls of each technician, by start.
    var liftoffCallsByResource: [Int: [LiftoffCall]] = [:]
    /// Appointments of each technician, by start.
    var appointments: [Int: [Appointment]] = [:]
    /// What keeps a technician from working on tickets: appointments, other schedulers' service calls
    /// (TimeZest's) and approved time off, by start.
    var meetings: [Int: [Stretch]] = [:]
    /// What a customer cannot book over: the meetings and every Liftoff call, merged, by start.
    var taken: [Int: [Stretch]] = [:]

    init() {}

    init(records: [String: [JSONObject]]) {
        var ticketOfLink: [Int: (call: Int, ticket: Int)] = [:]
        for link in records["ServiceCallTickets"] ?? [] {
            guard let id = link.simInt("id"), let call = link.simInt("serviceCallID"),
                let ticket = link.simInt("ticketID")
            else { continue }
            ticketOfLink[id] = (call, ticket)
        }
        var assignment: [Int: [(ticket: Int, resource: Int)]] = [:]
        for link in records["ServiceCallTicketResources"] ?? [] {
            guard let parent = link.simInt("serviceCallTicketID"), let resource = link.simInt("resourceID"),
                let ticketLink = ticketOfLink[parent]
            else { continue }
            assignment[ticketLink.call, default: []].append((ticketLink.ticket, resource))
        }
        for call in records["ServiceCalls"] ?? [] {
            guard let id = call.simInt("id"), let span = call.simSpan("startDateTime", "endDateTime") else { continue }
            let description = call.simString("description") ?? ""
            let people = (assignment[id] ?? []).sorted { ($0.resource, $0.ticket) < ($1.resource, $1.ticket) }
            if ServiceCallMarker.find(in: description) != nil {
                // A call whose links are still being written has no technician yet: the next run finishes it.
                guard let first = people.first else { continue }
                let mine = LiftoffCall(
                    id: id, resourceID: first.resource, ticketID: first.ticket, part: Self.part(of: description),
                    span: span, isComplete: call.simInt("isComplete") == 1)
                liftoffCalls[id] = mine
                liftoffCallsByResource[first.resource, default: []].append(mine)
            } else {
                for resource in Set(people.map(\.resource)) { meetings[resource, default: []].append(span) }
            }
        }
        for record in records["Appointments"] ?? [] {
            guard let id = record.simInt("id"), let resource = record.simInt("resourceID"),
                let span = record.simSpan("startDateTime", "endDateTime")
            else { continue }
            appointments[resource, default: []].append(
                Appointment(id: id, span: span, title: record.simString("title") ?? ""))
            meetings[resource, default: []].append(span)
        }
        for record in records["TimeOffRequests"] ?? [] where record.simInt("status") == 2 {
            guard let resource = record.simInt("resourceID"), let span = record.simSpan("startTime", "endTime") else {
                continue
            }
            meetings[resource, default: []].append(span)
        }
        for key in liftoffCallsByResource.keys {
            liftoffCallsByResource[key]!.sort { ($0.span.start, $0.id) < ($1.span.start, $1.id) }
        }
        for key in appointments.keys { appointments[key]!.sort { ($0.span.start, $0.id) < ($1.span.start, $1.id) } }
        for key in meetings.keys { meetings[key]!.sort { ($0.start, $0.end) < ($1.start, $1.end) } }
        for resource in Set(meetings.keys).union(liftoffCallsByResource.keys) {
            taken[resource] = Self.merged(
                (meetings[resource] ?? []) + (liftoffCallsByResource[resource] ?? []).map(\.span))
        }
    }

    /// Whether the technician is in a meeting, a customer call or time off at `instant`.
    func isInMeeting(_ resourceID: Int, at instant: Int64) -> Bool {
        (meetings[resourceID] ?? []).contains { $0.contains(instant) }
    }

    /// Whether `span` is clear of everything on the technician's calendar.
    func isFree(_ resourceID: Int, _ span: Stretch) -> Bool {
        !(taken[resourceID] ?? []).contains { $0.overlaps(span) }
    }

    /// The part number in a description Liftoff wrote (`— Liftoff 2/3 [liftoff:…]`); 1 when unreadable.
    static func part(of description: String) -> Int {
        guard let range = description.range(of: "Liftoff ", options: .backwards) else { return 1 }
        return Int(description[range.upperBound...].prefix { $0.isNumber }) ?? 1
    }

    /// Overlapping or touching stretches joined, by start.
    static func merged(_ stretches: [Stretch]) -> [Stretch] {
        var result: [Stretch] = []
        for stretch in stretches.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) })
        where stretch.end > stretch.start {
            if let last = result.last, stretch.start <= last.end {
                result[result.count - 1].end = max(last.end, stretch.end)
            } else {
                result.append(stretch)
            }
        }
        return result
    }
}

extension JSONObject {
    func simInt(_ key: String) -> Int? {
        switch self[key] {
        case .integer(let value)?: return Int(value)
        case .number(let value)? where value == value.rounded(): return Int(value)
        case .bool(let flag)?: return flag ? 1 : 0
        default: return nil
        }
    }

    func simString(_ key: String) -> String? {
        if case .string(let text)? = self[key] { return text }
        return nil
    }

    func simSpan(_ startKey: String, _ endKey: String) -> Stretch? {
        guard let startText = simString(startKey), let endText = simString(endKey),
            let start = RFC3339.parse(startText), let end = RFC3339.parse(endText)
        else { return nil }
        return Stretch(start: start.millisecondsSinceEpoch, end: end.millisecondsSinceEpoch)
    }
}
