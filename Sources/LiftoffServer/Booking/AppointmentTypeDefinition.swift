import Foundation
import LiftoffCore
import Vapor

/// An appointment type as the API sends and the Store keeps it (docs/booking.md, *Appointment
/// types*): the booking rules of ``AppointmentType`` in the words a dispatcher sets them, plus who
/// can be booked and the ticket status a booking sets. Every field but `name` and `lengthMinutes`
/// has a default, so the smallest type is `{"name": "Remote session", "lengthMinutes": 30}`.
struct AppointmentTypeDefinition: Codable, Equatable, Sendable {
    /// Minimum notice as the dispatcher wrote it: the page shows it back the same way.
    struct Notice: Codable, Equatable, Sendable {
        /// `minutes`, `hours`, `businessHours` (the technician's working time) or `businessDays`.
        var unit: String
        var amount: Int

        static let units = ["minutes", "hours", "businessHours", "businessDays"]
        static let none = Notice(unit: "minutes", amount: 0)
    }

    var name: String
    var lengthMinutes: Int
    /// `remote`, `onsite` or `phone`.
    var location: String = "remote"
    var startIncrementMinutes: Int = 15
    var bufferBeforeMinutes: Int = 0
    var bufferAfterMinutes: Int = 0
    var minimumNotice: Notice = .none
    var bookingWindowDays: Int = 14
    var maximumPerDay: Int?
    /// `gapsOnly` (default) or `flexible` (docs/scheduling.md, *Availability*).
    var mode: String = "gapsOnly"
    /// Autotask resource ids of the technicians who can be booked; empty (and no `queueId`) means
    /// every active technician.
    var technicianIds: [Int] = []
    /// Instead of a list: the team of an Autotask ticket queue — whoever works it at the time of
    /// booking (``QueueTeams``, imported from `ResourceRoleQueues`).
    var queueId: Int?
    /// The ticket status label a booking sets in Autotask; nil sets none. When a new type leaves it
    /// out, ``checked(technicians:statuses:queues:)`` picks "Scheduled Remote" or "Scheduled Onsite" when the
    /// tenant's picklist has it.
    var ticketStatus: String?

    enum CodingKeys: String, CodingKey {
        case name, lengthMinutes, location, startIncrementMinutes, bufferBeforeMinutes, bufferAfterMinutes
        case minimumNotice, bookingWindowDays, maximumPerDay, mode, technicianIds, queueId, ticketStatus
    }

    /// Whether the body named `ticketStatus` at all (`null` is "set none"; absent is "the default").
    private(set) var ticketStatusGiven = true

    init(name: String, lengthMinutes: Int) {
        self.name = name
        self.lengthMinutes = lengthMinutes
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        lengthMinutes = try container.decode(Int.self, forKey: .lengthMinutes)
        location = try container.decodeIfPresent(String.self, forKey: .location) ?? location
        startIncrementMinutes =
            try container.decodeIfPresent(Int.self, forKey: .startIncrementMinutes) ?? startIncrementMinutes
        bufferBeforeMinutes = try container.decodeIfPresent(Int.self, forKey: .bufferBeforeMinutes) ?? 0
        bufferAfterMinutes = try container.decodeIfPresent(Int.self, forKey: .bufferAfterMinutes) ?? 0
        minimumNotice = try container.decodeIfPresent(Notice.self, forKey: .minimumNotice) ?? .none
        bookingWindowDays = try container.decodeIfPresent(Int.self, forKey: .bookingWindowDays) ?? bookingWindowDays
        maximumPerDay = try container.decodeIfPresent(Int.self, forKey: .maximumPerDay)
        mode = try container.decodeIfPresent(String.self, forKey: .mode) ?? mode
        technicianIds = try container.decodeIfPresent([Int].self, forKey: .technicianIds) ?? []
        queueId = try container.decodeIfPresent(Int.self, forKey: .queueId)
        ticketStatus = try container.decodeIfPresent(String.self, forKey: .ticketStatus)
        ticketStatusGiven = container.contains(.ticketStatus)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(lengthMinutes, forKey: .lengthMinutes)
        try container.encode(location, forKey: .location)
        try container.encode(startIncrementMinutes, forKey: .startIncrementMinutes)
        try container.encode(bufferBeforeMinutes, forKey: .bufferBeforeMinutes)
        try container.encode(bufferAfterMinutes, forKey: .bufferAfterMinutes)
        try container.encode(minimumNotice, forKey: .minimumNotice)
        try container.encode(bookingWindowDays, forKey: .bookingWindowDays)
        try container.encode(maximumPerDay, forKey: .maximumPerDay)
        try container.encode(mode, forKey: .mode)
        try container.encode(technicianIds, forKey: .technicianIds)
        try container.encode(queueId, forKey: .queueId)
        try container.encode(ticketStatus, forKey: .ticketStatus)
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.lengthMinutes == rhs.lengthMinutes && lhs.location == rhs.location
            && lhs.startIncrementMinutes == rhs.startIncrementMinutes
            && lhs.bufferBeforeMinutes == rhs.bufferBeforeMinutes && lhs.bufferAfterMinutes == rhs.bufferAfterMinutes
            && lhs.minimumNotice == rhs.minimumNotice && lhs.bookingWindowDays == rhs.bookingWindowDays
            && lhs.maximumPerDay == rhs.maximumPerDay && lhs.mode == rhs.mode
            && lhs.technicianIds == rhs.technicianIds && lhs.queueId == rhs.queueId
            && lhs.ticketStatus == rhs.ticketStatus
    }

    /// Divisors and multiples of an hour: slots then start at the same minutes every hour and day.
    static let startIncrements = [5, 10, 15, 20, 30, 60, 120, 180, 240]

    /// The labels a new type's status defaults to, by location (matched without regard to case).
    static func defaultStatusLabel(for location: String) -> String {
        location == "onsite" ? "Scheduled Onsite" : "Scheduled Remote"
    }

    /// The definition as it will be stored: every rule in range, technicians known, the status a
    /// label of the tenant's picklist (spelled as Autotask spells it). Throws a 400 that lists every
    /// field that is wrong, by name, so a form can be fixed in one go.
    func checked(technicians known: Set<Int>, statuses: [TicketStatusChoice], queues: [QueueTeam]) throws
        -> AppointmentTypeDefinition
    {
        var problems: [String] = []
        var checked = self
        checked.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if checked.name.isEmpty || checked.name.count > 100 {
            problems.append("name must be 1 to 100 characters")
        }
        func within(_ value: Int, _ range: ClosedRange<Int>, _ field: String, _ unit: String = "minutes") {
            if !range.contains(value) {
                problems.append("\(field) must be \(range.lowerBound) to \(range.upperBound) \(unit), got \(value)")
            }
        }
        within(lengthMinutes, 5...720, "lengthMinutes")
        if !Self.startIncrements.contains(startIncrementMinutes) {
            problems.append(
                "startIncrementMinutes must be one of "
                    + Self.startIncrements.map(String.init).joined(separator: ", ") + ", got \(startIncrementMinutes)")
        }
        within(bufferBeforeMinutes, 0...240, "bufferBeforeMinutes")
        within(bufferAfterMinutes, 0...240, "bufferAfterMinutes")
        within(bookingWindowDays, 1...366, "bookingWindowDays", "days")
        if let maximumPerDay { within(maximumPerDay, 1...50, "maximumPerDay", "bookings") }
        if !["remote", "onsite", "phone"].contains(location) {
            problems.append("location must be remote, onsite or phone, got “\(location.prefix(40))”")
        }
        if !["gapsOnly", "flexible"].contains(mode) {
            problems.append("mode must be gapsOnly or flexible, got “\(mode.prefix(40))”")
        }
        switch minimumNotice.unit {
        case "minutes": within(minimumNotice.amount, 0...525_600, "minimumNotice.amount")
        case "hours": within(minimumNotice.amount, 0...8_760, "minimumNotice.amount", "hours")
        case "businessHours": within(minimumNotice.amount, 0...2_000, "minimumNotice.amount", "working hours")
        case "businessDays": within(minimumNotice.amount, 0...260, "minimumNotice.amount", "working days")
        default:
            problems.append(
                "minimumNotice.unit must be minutes, hours, businessHours or businessDays, got “\(minimumNotice.unit.prefix(40))”"
            )
        }
        var seen = Set<Int>()
        checked.technicianIds = technicianIds.filter { seen.insert($0).inserted }
        for (index, id) in technicianIds.enumerated() where !known.contains(id) {
            problems.append("technicianIds[\(index)]: \(id) is not an active technician (run a reflow to import them)")
        }
        if let queueId {
            if !technicianIds.isEmpty {
                problems.append("give technicianIds or queueId, not both")
            }
            if !queues.contains(where: { $0.id == queueId }) {
                problems.append(
                    "queueId: \(queueId) is not an Autotask queue Liftoff knows; "
                        + (queues.isEmpty
                            ? "none is imported yet (a full import reads ResourceRoleQueues)"
                            : "known: " + queues.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")))
            }
        }
        if ticketStatusGiven, let label = ticketStatus {
            if let choice = statuses.first(where: { $0.label.caseInsensitiveCompare(label) == .orderedSame }) {
                checked.ticketStatus = choice.label
            } else {
                problems.append(
                    "ticketStatus “\(label.prefix(60))” is not a ticket status in Autotask; known: "
                        + statuses.map(\.label).joined(separator: ", "))
            }
        } else if !ticketStatusGiven {
            let wanted = Self.defaultStatusLabel(for: location)
            checked.ticketStatus =
                statuses.first { $0.label.caseInsensitiveCompare(wanted) == .orderedSame }?.label
        }
        checked.ticketStatusGiven = true
        guard problems.isEmpty else {
            throw Abort(.badRequest, reason: problems.joined(separator: "; "))
        }
        return checked
    }

    /// The booking rules for availability (a checked definition: units and names are known).
    func appointmentType(id: String) -> AppointmentType {
        let notice: AppointmentType.Notice
        switch minimumNotice.unit {
        case "hours": notice = .minutes(minimumNotice.amount * 60)
        case "businessHours": notice = .businessMinutes(minimumNotice.amount * 60)
        case "businessDays": notice = .businessDays(minimumNotice.amount)
        default: notice = .minutes(minimumNotice.amount)
        }
        return AppointmentType(
            id: id, name: name, lengthMinutes: lengthMinutes,
            location: AppointmentType.Location(rawValue: location) ?? .remote,
            startIncrementMinutes: startIncrementMinutes, bufferBeforeMinutes: bufferBeforeMinutes,
            bufferAfterMinutes: bufferAfterMinutes, notice: notice, bookingWindowDays: bookingWindowDays,
            maximumPerDay: maximumPerDay, mode: mode == "flexible" ? .flexible : .gapsOnly)
    }
}
