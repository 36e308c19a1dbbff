import Fluent
import Foundation
import LiftoffCore

/// The confirmation e-mails of bookings (docs/booking.md, *Confirmation e-mail*): what is queued when
/// a booking is made, moved or cancelled — by the customer or in Autotask — and what the customer
/// and the technician read.
enum BookingMails {
    enum Event: String, Sendable {
        case booked, moved, canceled

        /// The subject's first word.
        var verb: String {
            switch self {
            case .booked: "Booked"
            case .moved: "Moved"
            case .canceled: "Cancelled"
            }
        }
    }

    /// Queues the mails telling of `event`, in the caller's transaction: one to the customer, one to
    /// the technician — and when a move gave the booking to another technician (`technicianBefore`),
    /// the one it was taken from is told it is no longer theirs and the new one gets it as booked.
    static func queue(
        _ booking: BookingRecord, _ event: Event, technicianBefore: Int? = nil, now: Date, on database: Database
    ) async throws {
        let id = try booking.requireID()
        try await add(id, to: "customer", technician: nil, event, now: now, on: database)
        if let before = technicianBefore, before != booking.resourceID {
            try await add(id, to: "technician", technician: before, .canceled, now: now, on: database)
            try await add(id, to: "technician", technician: booking.resourceID, .booked, now: now, on: database)
        } else {
            try await add(id, to: "technician", technician: booking.resourceID, event, now: now, on: database)
        }
    }

    /// One mail. A mail to the same person about the same booking still waiting is superseded: the
    /// new one tells the booking as it is when sent. A confirmation not sent yet stays a confirmation
    /// (booked, then moved before it went out, is one "booked" mail with the new time); a technician
    /// whose "booked" never went out is not told of the cancellation either.
    private static func add(
        _ booking: UUID, to recipient: String, technician: Int?, _ event: Event, now: Date, on database: Database
    ) async throws {
        let waiting = try await BookingMailRecord.query(on: database).filter(\.$bookingID == booking)
            .filter(\.$recipient == recipient).filter(\.$state == "pending").all()
            .filter { $0.technicianID == technician }
        let unsentConfirmation = waiting.contains { $0.event == Event.booked.rawValue }
        for mail in waiting {
            mail.state = "superseded"
            try await mail.save(on: database)
        }
        if event == .canceled, unsentConfirmation, recipient == "technician" { return }
        let mail = BookingMailRecord()
        mail.id = UUID()
        mail.bookingID = booking
        mail.recipient = recipient
        mail.technicianID = technician
        mail.event = (event == .moved && unsentConfirmation ? Event.booked : event).rawValue
        mail.state = "pending"
        mail.attempts = 0
        mail.notBefore = now
        mail.createdAt = now
        try await mail.save(on: database)
    }

    /// What a mail says: everything read from the Store when it is sent.
    struct Facts {
        var booking: BookingRecord
        var typeName: String
        var location: String
        var ticket: TicketRecord?
        /// The technician the mail is about: the booking's, or the one a move took it from.
        var technician: TechnicianRecord?
        /// `https://host/bookings/<token>`: `LIFTOFF_PUBLIC_URL`, else where the link's maker reached
        /// Liftoff; nil when neither is known.
        var manageURL: String?
        /// A technician's mail about a booking a move gave to someone else.
        var reassigned = false
    }

    /// The message for `mail`; nil when there is nobody to send it to (a technician without an
    /// e-mail address in Autotask).
    static func message(
        for mail: BookingMailRecord, facts: Facts, from: MailMessage.Address, now: Date
    ) -> MailMessage? {
        let booking = facts.booking
        let event = Event(rawValue: mail.event) ?? .booked
        let technicianName = facts.technician?.name ?? "your technician"
        let technicianZone = facts.technician.flatMap { TimeZone(identifier: $0.timeZone) }
        let customerZone = TimeZone(identifier: booking.customerZone) ?? technicianZone ?? .gmt
        let ticket = facts.ticket.map { "\($0.number) — \($0.title)" } ?? "ticket \(booking.ticketID)"
        let domain = from.email.split(separator: "@").last.map(String.init) ?? "liftoff.invalid"
        let messageID = "\(mail.id?.uuidString.lowercased() ?? UUID().uuidString)@\(domain)"

        let to: MailMessage.Address
        let replyTo: MailMessage.Address?
        let subject: String
        var lines: [String]
        let zone: TimeZone
        switch mail.recipient {
        case "technician":
            guard let technician = facts.technician, let email = technician.email,
                SMTPConfiguration.isPlainAddress(email)
            else { return nil }
            zone = technicianZone ?? .gmt
            let when = "\(BookingPages.when(booking.start, booking.end, in: zone)) (\(zone.identifier))"
            to = MailMessage.Address(name: technician.name, email: email)
            replyTo =
                SMTPConfiguration.isPlainAddress(booking.customerEmail)
                ? MailMessage.Address(name: booking.customerName, email: booking.customerEmail) : nil
            subject =
                facts.reassigned
                ? "Reassigned: \(facts.typeName) with \(booking.customerName) is no longer yours"
                : "\(event.verb): \(facts.typeName) with \(booking.customerName), \(when)"
            let headline =
                switch event {
                case .booked: "\(booking.customerName) booked \(facts.typeName) with you."
                case .moved: "\(booking.customerName) moved \(facts.typeName) with you to a new time."
                case .canceled where facts.reassigned:
                    "\(booking.customerName) moved \(facts.typeName) to a time another technician has free: it is off your calendar."
                case .canceled: "\(facts.typeName) with \(booking.customerName) is cancelled."
                }
            lines = [
                headline,
                "",
                facts.reassigned ? "Was:       \(facts.typeName) for ticket \(ticket)" : "When:      \(when)",
                "Where:     \(facts.location)",
                "Ticket:    \(ticket)",
                "Customer:  \(booking.customerName) <\(booking.customerEmail)>",
            ]
            if let phone = booking.customerPhone { lines.append("Phone:     \(phone)") }
            if let note = booking.note { lines += ["", "Their note:", note] }
            lines += [
                "",
                event == .canceled
                    ? "Liftoff removed its service call from the ticket, and the time is free again."
                    : "It is a service call on the ticket in Autotask; Liftoff plans your Next Activities around it.",
            ]
        default:
            guard SMTPConfiguration.isPlainAddress(booking.customerEmail) else { return nil }
            zone = customerZone
            let when = "\(BookingPages.when(booking.start, booking.end, in: zone)) (\(zone.identifier))"
            to = MailMessage.Address(name: booking.customerName, email: booking.customerEmail)
            replyTo = facts.technician?.email.flatMap {
                SMTPConfiguration.isPlainAddress($0) ? MailMessage.Address(name: technicianName, email: $0) : nil
            }
            subject = "\(event.verb): \(facts.typeName) with \(technicianName), \(when)"
            let headline =
                switch event {
                case .booked: "your appointment is booked."
                case .moved: "your appointment has moved to a new time."
                case .canceled: "your appointment is cancelled."
                }
            lines = [
                "Hello \(booking.customerName),",
                "",
                headline,
                "",
                "What:    \(facts.typeName) (\(facts.location))",
                "When:    \(when)",
                "With:    \(technicianName)",
                "Ticket:  \(ticket)",
            ]
            if event != .canceled {
                if let url = facts.manageURL {
                    lines += ["", "To move or cancel it, open:", url]
                } else {
                    lines += ["", "To move or cancel it, open the confirmation page you were shown when you booked."]
                }
                lines += ["", "The attached appointment.ics puts it in your calendar."]
            } else {
                lines += ["", "The attached appointment.ics takes it out of your calendar."]
            }
        }
        let file = ICalendarFile.booking(
            booking, typeName: facts.typeName, location: facts.location,
            technicianName: mail.recipient == "technician" ? booking.customerName : facts.technician?.name,
            ticket: facts.ticket, zone: zone, stamp: now, canceled: facts.reassigned ? true : nil)
        return MailMessage(
            from: from, to: to, replyTo: replyTo, subject: subject,
            text: lines.joined(separator: "\n") + "\n",
            attachments: [
                MailMessage.Attachment(
                    filename: "appointment.ics", contentType: "text/calendar; method=PUBLISH; charset=utf-8",
                    data: Data(file.text.utf8))
            ], date: now, messageID: messageID)
    }
}
