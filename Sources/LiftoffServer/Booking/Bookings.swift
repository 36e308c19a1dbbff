import Fluent
import Foundation
import LiftoffCore
import SQLKit
import Vapor

/// Booking links and bookings (docs/booking.md): making and resolving links, the times a link offers,
/// and booking, rescheduling and cancelling — each re-checked against the current plan inside one
/// transaction, so two customers racing for one slot cannot both get it.
struct Bookings: Sendable {
    let database: Database
    let planCache: PlanCache
    let tokens: BookingToken
    let now: Date

    static let defaultLinkDays = 14

    // MARK: - Links

    /// Makes a link for `ticketID`. 400 names what is wrong: an unknown or closed ticket, an unknown or
    /// archived type, a technician the type does not name.
    func makeLink(
        ticketID: Int, typeID: UUID, technicianID: Int?, days: Int?, by username: String, origin: String
    ) async throws -> (BookingLinkRecord, String) {
        let days = days ?? Self.defaultLinkDays
        guard (1...90).contains(days) else {
            throw Abort(.badRequest, reason: "expiresInDays must be 1 to 90, got \(days)")
        }
        guard let ticket = try await TicketRecord.query(on: database).filter(\.$ticketID == ticketID).first() else {
            throw Abort(.badRequest, reason: "ticket \(ticketID) is not imported yet; run a reflow or check the id")
        }
        guard ticket.isOpen else {
            throw Abort(.badRequest, reason: "ticket \(ticket.number) is closed: nothing to book for it")
        }
        guard let type = try await AppointmentTypes.find(typeID, on: database), !type.archived else {
            throw Abort(
                .badRequest, reason: "appointmentTypeId: no appointment type has id \(typeID) (or it is archived)")
        }
        if let technicianID {
            let active = try await TechnicianRecord.query(on: database).filter(\.$resourceID == technicianID)
                .filter(\.$isActive == true).first()
            guard active != nil else {
                throw Abort(.badRequest, reason: "technicianId: \(technicianID) is not an active technician")
            }
            guard type.technicians?.contains(technicianID) ?? true else {
                throw Abort(
                    .badRequest,
                    reason:
                        "technicianId: \(technicianID) is not one of the technicians “\(type.definition.name)” books")
            }
        }
        let record = BookingLinkRecord()
        record.id = UUID()
        record.ticketID = ticketID
        record.appointmentTypeID = typeID
        record.technicianID = technicianID
        record.createdBy = username
        record.origin = origin
        record.createdAt = now
        // Whole seconds: the signature covers the expiry as stored, on every database.
        record.expiresAt = Date(
            timeIntervalSince1970: (now.timeIntervalSince1970 + Double(days) * 86_400).rounded(.down))
        try await record.create(on: database)
        return (record, tokens.link(try record.requireID(), expiresAt: record.expiresAt))
    }

    /// What a link token leads to.
    enum Resolution {
        case valid(BookingLinkRecord, AppointmentTypes.Stored, TicketRecord)
        /// Not a link of this Liftoff (mistyped, tampered with, or signed with another key).
        case unknown
        case expired(Date)
        case revoked
        /// The type was archived or the ticket closed since the link was made.
        case closed(String)
    }

    func resolve(_ token: String) async throws -> Resolution {
        guard let id = BookingToken.linkID(in: token),
            let link = try await BookingLinkRecord.find(id, on: database),
            tokens.isLink(token, of: id, expiresAt: link.expiresAt)
        else { return .unknown }
        if link.revokedAt != nil { return .revoked }
        if link.expiresAt <= now { return .expired(link.expiresAt) }
        guard let type = try await AppointmentTypes.find(link.appointmentTypeID, on: database), !type.archived
        else { return .closed("this kind of appointment is no longer offered") }
        guard let ticket = try await TicketRecord.query(on: database).filter(\.$ticketID == link.ticketID).first(),
            ticket.isOpen
        else { return .closed("the ticket this link was made for is closed") }
        // One booking per link: a second submit or a return visit must not book the ticket twice.
        if try await BookingRecord.query(on: database).filter(\.$linkID == id).filter(\.$state == "open").first()
            != nil
        {
            return .closed(
                "an appointment was already booked with this link; the confirmation page you were shown can move or cancel it"
            )
        }
        return .valid(link, type, ticket)
    }

    // MARK: - Offers

    /// A time a link offers: one start, the technicians free then.
    struct Offer: Sendable, Equatable {
        var start: Date
        var end: Date
        var technicians: [Int]
    }

    /// The technicians a link books: its own, else the type's (every active one when it names none).
    static func candidates(of link: BookingLinkRecord, type: AppointmentTypes.Stored, in snapshot: PlanSnapshot)
        -> [Int]
    {
        if let technician = link.technicianID { return [technician] }
        return type.technicians ?? snapshot.technicians.map(\.resourceID)
    }

    /// The times `link` offers in `[from, to)`, by start. `bookings` are the open bookings (read in the
    /// caller's transaction when it books): each blocks its technician even before the plan shows it.
    /// `except` leaves one booking out (the one being rescheduled).
    func offers(
        link: BookingLinkRecord, type: AppointmentTypes.Stored, snapshot: PlanSnapshot, bookings: [BookingRecord],
        from: Date, to: Date, except: UUID? = nil
    ) -> [Offer] {
        let core = type.definition.appointmentType(id: type.id.uuidString)
        let open = bookings.filter { $0.state == "open" && $0.id != except }
        var calendars: [Availability.Calendar] = []
        for resourceID in Self.candidates(of: link, type: type, in: snapshot) {
            guard let index = snapshot.indexByResource[resourceID], snapshot.technicians[index].attention == nil
            else { continue }
            var technician = snapshot.problem.technicians[index]
            let source = Set(open.compactMap { $0.id.map { "booking:\($0.uuidString)" } })
            // The snapshot may already hold some bookings as busy items; the one being moved must go.
            technician.busy.removeAll { item in
                guard let id = item.id, id.hasPrefix("booking:") else { return false }
                return !source.contains(id)
            }
            for booking in open where booking.resourceID == resourceID {
                technician.busy.append(
                    BusyItem(
                        id: "booking:\(booking.id?.uuidString ?? "")", kind: .fixed,
                        start: CalendarReflowJob.instant(booking.start), end: CalendarReflowJob.instant(booking.end),
                        status: .open))
            }
            let booked = open.filter { $0.resourceID == resourceID && $0.appointmentTypeID == type.id }
                .map { CalendarReflowJob.instant($0.start) }
            calendars.append(
                Availability.Calendar(technician: technician, plan: snapshot.answer.technicians[index], booked: booked))
        }
        let slots = Availability.slots(
            of: core, for: calendars, settings: snapshot.problem.settings, now: CalendarReflowJob.instant(now),
            from: CalendarReflowJob.instant(from), to: CalendarReflowJob.instant(to))
        var offers: [Offer] = []
        for slot in slots {
            let id = Int(slot.technicianId) ?? 0
            if let last = offers.last, last.start == slot.start.date {
                offers[offers.count - 1].technicians.append(id)
            } else {
                offers.append(Offer(start: slot.start.date, end: slot.end.date, technicians: [id]))
            }
        }
        return offers
    }

    /// Who gets a booking at a time several are free (docs/booking.md): the technician already on it
    /// (a reschedule keeps them), else the ticket's assignee, else the one with the fewest open bookings
    /// in the window, ties by the lower resource id.
    static func choose(
        among free: [Int], keep: Int?, assignee: Int?, bookings: [BookingRecord], now: Date, windowDays: Int
    ) -> Int? {
        if let keep, free.contains(keep) { return keep }
        if let assignee, free.contains(assignee) { return assignee }
        let end = now.addingTimeInterval(Double(windowDays) * 86_400)
        var load: [Int: Int] = [:]
        for booking in bookings where booking.state == "open" && booking.start >= now && booking.start < end {
            load[booking.resourceID, default: 0] += 1
        }
        return free.min { (load[$0, default: 0], $0) < (load[$1, default: 0], $1) }
    }

    // MARK: - Booking

    /// What the customer typed.
    struct Customer: Sendable {
        var name: String
        var email: String
        var phone: String?
        var note: String?
        var zone: String
    }

    enum Outcome: Sendable {
        case booked(UUID)
        /// The time is no longer free; the nearest ones that are.
        case taken([Offer])
    }

    /// Books `start` through `link` (or moves `moving` there), re-checking it against the plan and
    /// every open booking inside one transaction.
    func book(
        link: BookingLinkRecord, type: AppointmentTypes.Stored, ticket: TicketRecord, start: Date,
        customer: Customer?, moving: UUID? = nil
    ) async throws -> Outcome {
        let snapshot = try await planCache.current(on: database)
        let length = Double(type.definition.lengthMinutes) * 60
        let outcome = try await database.transactionStartingOverWhenBusy { transaction in
            try await Self.lockBookings(on: transaction)
            let open = try await Self.openBookings(now: now, on: transaction)
            if moving == nil, open.contains(where: { $0.linkID == link.id }) {
                throw Abort(.conflict, reason: "an appointment was already booked with this link")
            }
            let wanted = offers(
                link: link, type: type, snapshot: snapshot, bookings: open, from: start,
                to: start.addingTimeInterval(1), except: moving
            ).first { $0.start == start }
            let moved = moving.flatMap { id in open.first { $0.id == id } }
            guard let wanted,
                let technician = Self.choose(
                    among: wanted.technicians, keep: moved?.resourceID, assignee: ticket.assignedResourceID,
                    bookings: open, now: now, windowDays: type.definition.bookingWindowDays)
            else {
                // The nearest free times are found after the transaction: it holds the booking lock.
                return Outcome.taken([])
            }
            let booking: BookingRecord
            let movedFrom = moved?.resourceID
            if let moved {
                booking = moved
                booking.sequence += 1
            } else {
                guard let customer else { throw Abort(.badRequest, reason: "the customer's details are missing") }
                booking = BookingRecord()
                booking.id = UUID()
                booking.linkID = try link.requireID()
                booking.appointmentTypeID = type.id
                booking.ticketID = link.ticketID
                booking.state = "open"
                booking.customerName = customer.name
                booking.customerEmail = customer.email
                booking.customerPhone = customer.phone
                booking.note = customer.note
                booking.customerZone = customer.zone
                booking.sequence = 0
                booking.createdAt = now
            }
            booking.resourceID = technician
            booking.start = start
            booking.end = start.addingTimeInterval(length)
            booking.updatedAt = now
            try await booking.save(on: transaction)
            try await Self.placeBusyItem(for: booking, typeName: type.definition.name, on: transaction)
            if moved == nil {
                try await BookingWrites.booked(
                    booking, statusLabel: type.definition.ticketStatus, now: now, on: transaction)
            } else {
                try await BookingWrites.moved(booking, now: now, on: transaction)
            }
            try await BookingMails.queue(
                booking, moved == nil ? .booked : .moved, technicianBefore: moved == nil ? nil : movedFrom,
                now: now, on: transaction)
            try await PlanVersion.bump(on: transaction)
            return Outcome.booked(try booking.requireID())
        }
        guard case .taken = outcome else { return outcome }
        let open = try await Self.openBookings(now: now, on: database)
        let window = now.addingTimeInterval(Double(type.definition.bookingWindowDays) * 86_400)
        let nearest = offers(
            link: link, type: type, snapshot: snapshot, bookings: open, from: now, to: window, except: moving
        ).sorted { abs($0.start.timeIntervalSince(start)) < abs($1.start.timeIntervalSince(start)) }
        return .taken(Array(nearest.prefix(3)).sorted { $0.start < $1.start })
    }

    /// Cancels an open booking: its busy item goes, so the time is free again at once.
    func cancel(_ booking: BookingRecord) async throws {
        try await database.transactionStartingOverWhenBusy { transaction in
            guard let fresh = try await BookingRecord.find(booking.id, on: transaction), fresh.state == "open" else {
                return
            }
            fresh.state = "canceled"
            fresh.sequence += 1
            fresh.updatedAt = now
            try await fresh.save(on: transaction)
            try await BusyItemRecord.query(on: transaction).filter(\.$source == Self.source(of: fresh)).delete()
            try await BookingWrites.cancelled(fresh, now: now, on: transaction)
            try await BookingMails.queue(fresh, .canceled, now: now, on: transaction)
            try await PlanVersion.bump(on: transaction)
        }
    }

    /// Whether the customer may still move or cancel `booking`: until the type's minimum notice before it.
    func changeable(_ booking: BookingRecord, type: AppointmentTypes.Stored, snapshot: PlanSnapshot) -> Bool {
        guard booking.state == "open", booking.start > now else { return false }
        guard let index = snapshot.indexByResource[booking.resourceID] else { return true }
        let core = type.definition.appointmentType(id: type.id.uuidString)
        guard
            let ends = Availability.noticeEnds(
                of: core, for: snapshot.problem.technicians[index], now: CalendarReflowJob.instant(now))
        else { return false }
        return ends.date <= booking.start
    }

    /// The open bookings that can still block anything: those ending after the busy look-back.
    static func openBookings(now: Date, on database: Database) async throws -> [BookingRecord] {
        try await BookingRecord.query(on: database).filter(\.$state == "open")
            .filter(\.$end > now.addingTimeInterval(-ProblemBuilder.busyLookBack)).all()
    }

    static func source(of booking: BookingRecord) -> String {
        "booking:\(booking.id?.uuidString ?? "")"
    }

    /// The booking as a `fixed` busy item: the plan treats it as fixed at once.
    static func placeBusyItem(for booking: BookingRecord, typeName: String, on database: Database) async throws {
        let source = source(of: booking)
        let item =
            try await BusyItemRecord.query(on: database).filter(\.$source == source).first() ?? BusyItemRecord()
        item.resourceID = booking.resourceID
        item.source = source
        item.kind = "fixed"
        item.start = booking.start
        item.end = booking.end
        item.title = "\(typeName) · \(booking.customerName)"
        item.status = "open"
        try await item.save(on: database)
    }

    /// Serialises bookings on PostgreSQL (a transaction-scoped advisory lock); SQLite has one writer
    /// at a time already, and a transaction that read before another wrote starts over.
    static func lockBookings(on database: Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(7423001)").run()
    }
}
