import Fluent
import Foundation
import LiftoffCore
import Vapor

/// Settings › Appointment types (docs/booking.md): the types customers can book, each with the next
/// few slots it offers right now — so a dispatcher sees what the rules they typed mean before a
/// customer does. A form with a mistake comes back with what was typed and every wrong field named.
struct AppointmentTypePages: RouteCollection {
    let runtime: LiftoffRuntime

    func boot(routes: RoutesBuilder) throws {
        // Registered under the dispatchers' guard (PageRoutes).
        let types = routes.grouped("settings", "appointment-types")
        types.get(use: page)
        types.post(use: create)
        types.post(":appointmentTypeId", use: update)
        types.post(":appointmentTypeId", "archive", use: archive)
    }

    /// The form's fields as posted: text, so a wrong value is shown back as it was typed.
    struct Form: Content {
        var name: String?
        var lengthMinutes: String?
        var location: String?
        var startIncrementMinutes: String?
        var bufferBeforeMinutes: String?
        var bufferAfterMinutes: String?
        var noticeAmount: String?
        var noticeUnit: String?
        var bookingWindowDays: String?
        var maximumPerDay: String?
        var mode: String?
        var technicianIds: [String]?
        var queueId: String?
        var ticketStatus: String?

        init(_ definition: AppointmentTypeDefinition) {
            name = definition.name
            lengthMinutes = String(definition.lengthMinutes)
            location = definition.location
            startIncrementMinutes = String(definition.startIncrementMinutes)
            bufferBeforeMinutes = String(definition.bufferBeforeMinutes)
            bufferAfterMinutes = String(definition.bufferAfterMinutes)
            noticeAmount = String(definition.minimumNotice.amount)
            noticeUnit = definition.minimumNotice.unit
            bookingWindowDays = String(definition.bookingWindowDays)
            maximumPerDay = definition.maximumPerDay.map(String.init) ?? ""
            mode = definition.mode
            technicianIds = definition.technicianIds.map(String.init)
            queueId = definition.queueId.map(String.init) ?? ""
            ticketStatus = definition.ticketStatus ?? ""
        }

        /// The form as a definition; a field that is not a whole number is named, with what was typed.
        func definition() throws -> AppointmentTypeDefinition {
            var problems: [String] = []
            func number(_ text: String?, _ field: String, default fallback: Int? = nil) -> Int {
                let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty, let fallback { return fallback }
                guard let value = Int(trimmed) else {
                    problems.append("\(field) must be a whole number, got “\(trimmed.prefix(40))”")
                    return 0
                }
                return value
            }
            var definition = AppointmentTypeDefinition(
                name: name ?? "", lengthMinutes: number(lengthMinutes, "Length"))
            definition.location = location ?? "remote"
            definition.startIncrementMinutes = number(startIncrementMinutes, "Start every", default: 15)
            definition.bufferBeforeMinutes = number(bufferBeforeMinutes, "Buffer before", default: 0)
            definition.bufferAfterMinutes = number(bufferAfterMinutes, "Buffer after", default: 0)
            definition.minimumNotice = .init(
                unit: noticeUnit ?? "minutes", amount: number(noticeAmount, "Minimum notice", default: 0))
            definition.bookingWindowDays = number(bookingWindowDays, "Booking window", default: 14)
            let cap = (maximumPerDay ?? "").trimmingCharacters(in: .whitespaces)
            definition.maximumPerDay = cap.isEmpty ? nil : number(cap, "Most per technician and day")
            definition.mode = mode ?? "gapsOnly"
            definition.technicianIds = (technicianIds ?? []).map { number($0, "Technicians") }
            let queue = (queueId ?? "").trimmingCharacters(in: .whitespaces)
            definition.queueId = queue.isEmpty ? nil : number(queue, "Autotask queue")
            let status = ticketStatus ?? ""
            definition.ticketStatus = status.isEmpty ? nil : status
            guard problems.isEmpty else { throw Abort(.badRequest, reason: problems.joined(separator: "; ")) }
            return definition
        }
    }

    struct Choice: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Row: Encodable {
        var id: String
        var name: String
        var summary: String
        var who: String
        var status: String
        var nextSlots: [String]
        var editing: Bool
    }

    struct Context: Encodable {
        var page: Chrome
        var rows: [Row]
        var hasRows: Bool
        /// The form: empty for a new type, or the type being edited.
        var formAction: String
        var formTitle: String
        var editingName: String?
        var form: Form
        var locations: [Choice]
        var increments: [Choice]
        var noticeUnits: [Choice]
        var modes: [Choice]
        var queues: [Choice]
        var technicians: [Choice]
        var statuses: [Choice]
        var formError: String?
        /// The relay confirmations go through, or nil (the confirmation page is the receipt).
        var mailRelay: String?
        /// Confirmations of the last week that could not be sent, and those waiting to be tried again.
        var mailFailed: Int
        var mailWaiting: Int
    }

    @Sendable func page(_ request: Request) async throws -> View {
        let editing = (try? request.query.get(String.self, at: "edit")).flatMap(UUID.init(uuidString:))
        var form: Form?
        if let editing, let stored = try await AppointmentTypes.find(editing, on: request.db) {
            form = Form(stored.definition)
        }
        return try await render(request, editing: editing, form: form, error: nil)
    }

    @Sendable func create(_ request: Request) async throws -> Response {
        try await save(request, id: nil)
    }

    @Sendable func update(_ request: Request) async throws -> Response {
        try await save(request, id: try BookingAPIRoutes.typeID(request))
    }

    /// Saves and goes back to the list; a wrong form comes back (400) as typed, with the reasons.
    private func save(_ request: Request, id: UUID?) async throws -> Response {
        let form = try request.content.decode(Form.self)
        do {
            let stored = try await AppointmentTypes.save(
                try form.definition(), id: id, now: runtime.clock.now(), on: request.db)
            request.flash(ok: "Appointment type “\(stored.definition.name)” saved.")
            return request.redirect(to: "/settings/appointment-types", redirectType: .normal)
        } catch let abort as AbortError where abort.status == .badRequest {
            let view = try await render(request, editing: id, form: form, error: abort.reason)
            let response = try await view.encodeResponse(for: request)
            response.status = .badRequest
            return response
        }
    }

    @Sendable func archive(_ request: Request) async throws -> Response {
        let id = try BookingAPIRoutes.typeID(request)
        let name = try await AppointmentTypes.find(id, on: request.db)?.definition.name
        try await AppointmentTypes.archive(id, now: runtime.clock.now(), on: request.db)
        request.flash(ok: "Appointment type “\(name ?? id.uuidString)” archived: it offers no more slots.")
        return request.redirect(to: "/settings/appointment-types", redirectType: .normal)
    }

    /// Who a type books, in words: its queue's team (with who is in it now), its list, or everyone.
    static func who(_ stored: AppointmentTypes.Stored, queues: [QueueTeam], names: [Int: String]) -> String {
        if let queue = stored.definition.queueId {
            let name = queues.first { $0.id == queue }?.name ?? "queue \(queue) (no longer in Autotask)"
            let members = stored.queueMembers.map { names[$0] ?? "#\($0)" }
            return "Queue \(name): " + (members.isEmpty ? "nobody works it now" : members.joined(separator: ", "))
        }
        let named = stored.definition.technicianIds
        return named.isEmpty ? "Every active technician" : named.map { names[$0] ?? "#\($0)" }.joined(separator: ", ")
    }

    private func render(_ request: Request, editing: UUID?, form: Form?, error: String?) async throws -> View {
        let database = request.db
        let now = runtime.clock.now()
        let types = try await AppointmentTypes.all(on: database)
        let technicians = try await TechnicianRecord.query(on: database).filter(\.$isActive == true).sort(\.$name)
            .all()
        let names = Dictionary(
            technicians.map { ($0.resourceID, $0.name) }, uniquingKeysWith: { first, _ in first })
        let statuses = try await TicketStatusChoice.load(on: database)
        let queues = try await QueueTeams.load(on: database)
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        let rows = types.map { stored in
            Row(
                id: stored.id.uuidString.lowercased(), name: stored.definition.name,
                summary: Self.summary(stored.definition),
                who: Self.who(stored, queues: queues, names: names),
                status: stored.definition.ticketStatus ?? "Leave the status alone",
                nextSlots: Self.nextSlots(stored, snapshot: snapshot, names: names, now: now),
                editing: stored.id == editing)
        }
        var defaults = AppointmentTypeDefinition(name: "", lengthMinutes: 30)
        defaults.ticketStatus =
            statuses.first {
                $0.label.caseInsensitiveCompare(AppointmentTypeDefinition.defaultStatusLabel(for: "remote"))
                    == .orderedSame
            }?.label
        var shown = form ?? Form(defaults)
        if form == nil { shown.name = "" }
        let chosenTechnicians = Set(shown.technicianIds ?? [])
        let editingName = editing.flatMap { id in types.first { $0.id == id }?.definition.name }
        let weekAgo = runtime.clock.now().addingTimeInterval(-7 * 86_400)
        let mailFailed = try await BookingMailRecord.query(on: request.db).filter(\.$state == "failed")
            .filter(\.$createdAt > weekAgo).count()
        let mailWaiting = try await BookingMailRecord.query(on: request.db).filter(\.$state == "pending")
            .filter(\.$attempts > 0).count()
        return try await request.view.render(
            "appointment-types",
            Context(
                page: try Chrome(request, title: "Appointment types", nav: "settings"), rows: rows,
                hasRows: !rows.isEmpty,
                formAction: editing.map { "/settings/appointment-types/\($0.uuidString.lowercased())" }
                    ?? "/settings/appointment-types",
                formTitle: editing == nil ? "New appointment type" : "Edit “\(editingName ?? "")”",
                editingName: editingName, form: shown,
                locations: Self.choices(
                    [("remote", "Remote"), ("onsite", "Onsite"), ("phone", "Phone")], shown.location),
                increments: Self.choices(
                    AppointmentTypeDefinition.startIncrements.map { (String($0), "\($0) minutes") },
                    shown.startIncrementMinutes),
                noticeUnits: Self.choices(
                    [
                        ("minutes", "minutes"), ("hours", "hours"), ("businessHours", "working hours"),
                        ("businessDays", "working days"),
                    ], shown.noticeUnit),
                modes: Self.choices(
                    [
                        ("gapsOnly", "Gaps only: free time between Next Activities"),
                        ("flexible", "Flexible: Next Activities may move, no due date is missed"),
                    ], shown.mode),
                queues: [
                    Choice(
                        value: "", label: "No queue: the technicians ticked below",
                        selected: (shown.queueId ?? "").isEmpty)
                ]
                    + queues.map {
                        Choice(
                            value: String($0.id),
                            label: "\($0.name) (\($0.members.count) technician\($0.members.count == 1 ? "" : "s"))",
                            selected: shown.queueId == String($0.id))
                    },
                technicians: technicians.map {
                    Choice(
                        value: String($0.resourceID), label: $0.name,
                        selected: chosenTechnicians.contains(String($0.resourceID)))
                },
                statuses: [
                    Choice(value: "", label: "Leave the status alone", selected: (shown.ticketStatus ?? "") == "")
                ]
                    + statuses.map {
                        Choice(
                            value: $0.label, label: $0.label,
                            selected: $0.label.caseInsensitiveCompare(shown.ticketStatus ?? "") == .orderedSame)
                    },
                formError: error, mailRelay: runtime.smtp?.summary, mailFailed: mailFailed, mailWaiting: mailWaiting))
    }

    static func choices(_ options: [(String, String)], _ current: String?) -> [Choice] {
        options.map { Choice(value: $0.0, label: $0.1, selected: $0.0 == current) }
    }

    /// "30 min, remote, every 15 min, 10 min after, notice 4 working hours, 14 days ahead, at most 3 a day, gaps only"
    static func summary(_ definition: AppointmentTypeDefinition) -> String {
        var parts = [
            "\(definition.lengthMinutes) min", definition.location, "every \(definition.startIncrementMinutes) min",
        ]
        if definition.bufferBeforeMinutes > 0 { parts.append("\(definition.bufferBeforeMinutes) min before") }
        if definition.bufferAfterMinutes > 0 { parts.append("\(definition.bufferAfterMinutes) min after") }
        let units = [
            "minutes": "minutes", "hours": "hours", "businessHours": "working hours", "businessDays": "working days",
        ]
        if definition.minimumNotice.amount > 0 {
            parts.append(
                "notice \(definition.minimumNotice.amount) \(units[definition.minimumNotice.unit] ?? definition.minimumNotice.unit)"
            )
        }
        parts.append("\(definition.bookingWindowDays) days ahead")
        if let cap = definition.maximumPerDay { parts.append("at most \(cap) a day") }
        parts.append(definition.mode == "flexible" ? "flexible" : "gaps only")
        return parts.joined(separator: ", ")
    }

    /// The first three slots the type offers now, each in its technician's own time and zone.
    static func nextSlots(
        _ stored: AppointmentTypes.Stored, snapshot: PlanSnapshot, names: [Int: String], now: Date
    ) -> [String] {
        // A day first, then a week, then the whole window: flexible types re-plan per candidate slot,
        // and the first three slots are usually close.
        var found = BookableSlots.Answer(technicians: [], slots: [])
        for days in [1, 7, stored.definition.bookingWindowDays] where days <= stored.definition.bookingWindowDays {
            let horizon = now.addingTimeInterval(Double(days) * 86_400)
            found = BookableSlots.find(stored, in: snapshot, now: now, from: now, to: horizon, only: nil)
            if found.slots.count >= 3 { break }
        }
        let zones = Dictionary(
            found.technicians.map { ($0.resourceID, $0.timeZone) }, uniquingKeysWith: { first, _ in first })
        return found.slots.prefix(3).map { slot in
            let id = Int(slot.technicianId) ?? 0
            let zone = TimeZone(identifier: zones[id] ?? "UTC") ?? .gmt
            let time = DisplayTime(timeZone: zone, now: now, from: slot.start.date, to: slot.end.date)
            return "\(time.range(slot.start.date, slot.end.date)) \(zone.identifier) — \(names[id] ?? "#\(id)")"
        }
    }
}
