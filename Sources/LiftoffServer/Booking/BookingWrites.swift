import Fluent
import Foundation

/// What a booking writes to Autotask, through the same outboxes as everything else (docs/booking.md,
/// *Into Autotask*): a service call owned by Liftoff (marker, linked to the ticket and the technician)
/// and the ticket status of the type. Queued in the booking's own transaction, so a booking and its
/// writes exist together or not at all; the outboxes make them idempotent across retries and restarts.
///
/// The call's link has the activity id `booking:<id>`. Calendar Reflow leaves such links out of what
/// it plans (``ProblemBuilder``), so it never moves a booked call; the import follows the call when
/// someone moves or deletes it in Autotask (``followAutotask(calls:links:now:on:)``).
enum BookingWrites {
    static let activityPrefix = "booking:"

    static func activityID(of booking: BookingRecord) -> String {
        activityPrefix + (booking.id?.uuidString ?? "")
    }

    /// A new booking: its call and, when the type names one, the ticket status.
    static func booked(
        _ booking: BookingRecord, statusLabel: String?, now: Date, on database: Database
    ) async throws {
        let link = ServiceCallLinkRecord()
        link.marker = CalendarReflowJob.newMarker()
        link.resourceID = booking.resourceID
        link.ticketID = booking.ticketID
        link.activityID = activityID(of: booking)
        link.part = 1
        link.parts = 1
        link.start = booking.start
        link.end = booking.end
        link.isComplete = false
        link.state = "pending"
        try await link.save(on: database)
        try await OutboxRecord.queue("create", link: link, reason: "booked by the customer", now: now, on: database)
        if let statusLabel,
            let status = try await TicketStatusChoice.load(on: database).first(where: {
                $0.label.caseInsensitiveCompare(statusLabel) == .orderedSame
            })
        {
            _ = try await TicketUpdateRecord.queue(
                ticketID: booking.ticketID, status: status.value,
                reason: "booked by the customer (\(booking.customerName))", now: now, on: database)
            if let ticket = try await TicketRecord.query(on: database).filter(\.$ticketID == booking.ticketID).first() {
                ticket.status = status.value
                try await ticket.save(on: database)
            }
        }
    }

    /// A booking moved by the customer: the call follows (a new call when the technician changed).
    static func moved(_ booking: BookingRecord, now: Date, on database: Database) async throws {
        guard let link = try await link(of: booking, on: database) else {
            return try await booked(booking, statusLabel: nil, now: now, on: database)
        }
        if link.resourceID != booking.resourceID {
            try await retire(link, reason: "booking moved to another technician", now: now, on: database)
            return try await booked(booking, statusLabel: nil, now: now, on: database)
        }
        if link.serviceCallID == nil {
            // A create still to send takes the new times; one being sent right now may carry the old
            // ones, which the move queued after it corrects.
            link.start = booking.start
            link.end = booking.end
            try await link.save(on: database)
        }
        try await OutboxRecord.queue(
            "move", link: link, start: booking.start, end: booking.end, reason: "moved by the customer", now: now,
            on: database)
    }

    /// A cancelled booking: its call goes.
    static func cancelled(_ booking: BookingRecord, now: Date, on database: Database) async throws {
        guard let link = try await link(of: booking, on: database) else { return }
        try await retire(link, reason: "cancelled by the customer", now: now, on: database)
    }

    /// Takes a booking's call away: a create never tried is simply withdrawn (no call made only to be
    /// deleted); otherwise a remove is queued, which finds a call an earlier attempt may have made.
    private static func retire(_ link: ServiceCallLinkRecord, reason: String, now: Date, on database: Database)
        async throws
    {
        let waiting = try await OutboxRecord.query(on: database).filter(\.$linkID == link.requireID())
            .filter(\.$state == "pending").all()
        if link.serviceCallID == nil, waiting.allSatisfy({ $0.attempts == 0 }) {
            for entry in waiting {
                entry.state = "cancelled"
                try await entry.save(on: database)
            }
            try await link.delete(on: database)
            return
        }
        try await OutboxRecord.queue("remove", link: link, reason: reason, now: now, on: database)
        link.activityID = "retired:" + link.activityID
        try await link.save(on: database)
    }

    static func link(of booking: BookingRecord, on database: Database) async throws -> ServiceCallLinkRecord? {
        try await ServiceCallLinkRecord.query(on: database).filter(\.$activityID == activityID(of: booking)).first()
    }

    /// The description of a booked call: what, for whom, the customer's note, and the marker.
    static func description(of link: ServiceCallLinkRecord, ticket: TicketRecord, marker: String, on database: Database)
        async throws -> String?
    {
        guard link.activityID.hasPrefix(activityPrefix),
            let id = UUID(uuidString: String(link.activityID.dropFirst(activityPrefix.count))),
            let booking = try await BookingRecord.find(id, on: database)
        else { return nil }
        let type = try await AppointmentTypes.find(booking.appointmentTypeID, on: database)
        let location = type.map { BookingPages.locationWords[$0.definition.location] ?? $0.definition.location }
        // The marker first: a description Autotask shortens must still say whose call it is.
        var text = "\(marker) \(ticket.number) \(type?.definition.name ?? "Appointment")"
        if let location { text += " (\(location))" }
        text += " booked by \(booking.customerName) <\(booking.customerEmail)>"
        if let phone = booking.customerPhone { text += ", \(phone)" }
        if let note = booking.note { text += " — “\(note.prefix(1000))”" }
        return String(text.prefix(Self.descriptionLimit))
    }

    /// What a service call's description holds at most, kept well under Autotask's limit.
    static let descriptionLimit = 1_800

    /// What the import saw of booked calls: moved in Autotask (the booking takes the new time) or
    /// gone (the booking is cancelled). A move Liftoff itself still has to send is not a move in
    /// Autotask: it is left to the outbox. Answers whether a booking changed.
    static func followAutotask(
        calls: [Int: (start: Date, end: Date)], seen: Set<Int>, now: Date, on database: Database,
        lookUp: ([Int]) async throws -> [Int: (start: Date, end: Date)]
    ) async throws -> Bool {
        var changed = false
        // Only booked calls' links, by SQL: every hourly import runs this, and at 500 technicians the
        // Store holds thousands of other links.
        let links = try await ServiceCallLinkRecord.query(on: database).filter(\.$state == "created")
            .filter(\.$activityID =~ activityPrefix).all()
        // A booked call missing from the window may have been moved out of it, not deleted: ask for
        // those by id before cancelling anything.
        let missing = links.compactMap(\.serviceCallID).filter { !seen.contains($0) }
        var calls = calls
        if !missing.isEmpty {
            for (id, times) in try await lookUp(missing) { calls[id] = times }
        }
        for link in links {
            guard let callID = link.serviceCallID,
                let id = UUID(uuidString: String(link.activityID.dropFirst(activityPrefix.count))),
                let booking = try await BookingRecord.find(id, on: database), booking.state == "open"
            else { continue }
            let waiting = try await OutboxRecord.query(on: database).filter(\.$linkID == link.requireID())
                .filter(\.$state == "pending").count()
            guard waiting == 0 else { continue }
            if let call = calls[callID] {
                guard call.start != link.start || call.end != link.end else { continue }
                link.start = call.start
                link.end = call.end
                try await link.save(on: database)
                booking.start = call.start
                booking.end = call.end
                booking.sequence += 1
                booking.updatedAt = now
                try await booking.save(on: database)
                if let item = try await BusyItemRecord.query(on: database).filter(
                    \.$source == Bookings.source(of: booking)
                ).first() {
                    item.start = call.start
                    item.end = call.end
                    try await item.save(on: database)
                }
                try await BookingMails.queue(booking, .moved, now: now, on: database)
                database.logger.notice(
                    "a booked call was moved in Autotask; the booking follows",
                    metadata: ["booking": "\(id)", "serviceCall": "\(callID)"])
                changed = true
            } else if !seen.contains(callID) {
                booking.state = "canceled"
                booking.sequence += 1
                booking.updatedAt = now
                try await booking.save(on: database)
                try await BusyItemRecord.query(on: database).filter(\.$source == Bookings.source(of: booking)).delete()
                try await link.delete(on: database)
                try await BookingMails.queue(booking, .canceled, now: now, on: database)
                database.logger.notice(
                    "a booked call was deleted in Autotask; the booking is cancelled",
                    metadata: ["booking": "\(id)", "serviceCall": "\(callID)"])
                changed = true
            }
        }
        return changed
    }
}
