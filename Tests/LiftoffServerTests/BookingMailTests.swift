import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// A relay that keeps what it is given, and fails or refuses on demand.
actor RecordingTransport: MailTransport {
    private(set) var sent: [MailMessage] = []
    /// What the next sends answer, first first; empty = accepted.
    private var answers: [MailDeliveryError] = []

    func failNext(_ errors: [MailDeliveryError]) { answers += errors }

    nonisolated func send(_ message: MailMessage) async throws(MailDeliveryError) {
        if let error = await take() { throw error }
        await keep(message)
    }

    private func take() -> MailDeliveryError? { answers.isEmpty ? nil : answers.removeFirst() }
    private func keep(_ message: MailMessage) { sent.append(message) }
}

/// Confirmation e-mails (issue 13, docs/booking.md, *Confirmation e-mail*): queued with the booking
/// change, sent to the customer and the technician with the `.ics`, tried again after a failure,
/// given up when refused, and none without a relay.
@Suite(.serialized) struct BookingMailTests {
    static func book(_ harness: ServerHarness) async throws -> (confirmation: String, customer: WebSession) {
        _ = try await harness.job.run(trigger: "test", fullImport: true)
        let (path, _, _) = try await BookingFlowTests.link(harness)
        let customer = WebSession(app: harness.app)
        let page = try await customer.send(.GET, path + "?zone=Asia/Kolkata", headers: ["Accept": "text/html"])
        let start = try #require(BookingFlowTests.times(page.body.string).first)
        let csrf = try await customer.csrf(on: path)
        var form = BookingFlowTests.form(csrf, start: start, name: "Zoë Ó Briain")
        form["zone"] = "Asia/Kolkata"
        // A forged Host must not reach the mail's link: that comes from where the link's maker was.
        let booked = try await customer.send(
            .POST, path, headers: ["Accept": "text/html", "Host": "evil.example"], form: form)
        #expect(booked.status == .seeOther, "\(booked.body.string.prefix(400))")
        return (try #require(booked.headers.first(name: .location)), customer)
    }

    static func mailer(_ harness: ServerHarness) throws -> BookingMailer {
        try #require(harness.runtime?.mailer)
    }

    /// The decoded text part of a rendered message.
    static func text(_ message: MailMessage) throws -> String {
        String(decoding: try #require(MailMessageParts.part(message.rendered, "text/plain")), as: UTF8.self)
    }

    static func ics(_ message: MailMessage) throws -> String {
        String(decoding: try #require(MailMessageParts.part(message.rendered, "appointment.ics")), as: UTF8.self)
    }

    @Test(arguments: TestDatabases.all)
    func bookingMovingAndCancellingEachMailTheCustomerAndTheTechnician(_ database: String) async throws {
        let relay = RecordingTransport()
        try await ServerHarness.run(database, web: true, mail: relay) { harness in
            let (confirmation, customer) = try await Self.book(harness)
            let shown = try await customer.send(.GET, confirmation, headers: ["Accept": "text/html"])
            #expect(shown.body.string.contains("link goes to hannah@example.com"))
            #expect(try await Self.mailer(harness).drain() == .init(sent: 2))
            var sent = await relay.sent
            #expect(sent.count == 2)
            let toCustomer = try #require(sent.first { $0.to.email == "hannah@example.com" })
            let toTechnician = try #require(sent.first { $0.to.email != "hannah@example.com" })
            #expect(toCustomer.from.email == "dispatch@demo-msp.example")
            #expect(toCustomer.subject.hasPrefix("Booked: Remote session with Maria Gonzalez"))
            #expect(toCustomer.subject.hasSuffix("(Asia/Kolkata)"), "the customer reads their own zone")
            #expect(toCustomer.replyTo?.email == toTechnician.to.email, "a reply reaches the technician")
            let text = try Self.text(toCustomer)
            #expect(text.contains("Hello Zoë Ó Briain,"))
            #expect(text.contains("http://localhost" + confirmation), "the link to move or cancel: \(text)")
            #expect(!text.contains("evil.example"))
            let ics = try Self.ics(toCustomer)
            #expect(ics.contains("DTSTART;TZID=Asia/Kolkata:") && ics.contains("SEQUENCE:0"))
            #expect(ics.contains("STATUS:CONFIRMED"))
            #expect(toTechnician.subject.hasPrefix("Booked: Remote session with Zoë Ó Briain"))
            #expect(toTechnician.replyTo?.email == "hannah@example.com")
            let technicianText = try Self.text(toTechnician)
            #expect(technicianText.contains("+1 555 0100") && technicianText.contains("After lunch, please"))
            #expect(try Self.ics(toTechnician).contains("DTSTART;TZID=America/New_York:"), "the technician's zone")
            #expect(try await Self.mailer(harness).drain() == .init(), "each mail goes once")

            // Moving it: a "Moved" mail with the new time and the next SEQUENCE.
            let later = try await BookingFlowTests.anotherTime(confirmation, customer, harness)
            let csrf = try await customer.csrf(on: confirmation + "/reschedule")
            let moved = try await customer.send(
                .POST, confirmation + "/reschedule", headers: ["Accept": "text/html"],
                form: ["_csrf": csrf, "start": later])
            #expect(moved.status == .seeOther)
            #expect(try await Self.mailer(harness).drain() == .init(sent: 2))
            sent = await relay.sent
            let movedMail = try #require(sent.dropFirst(2).first { $0.to.email == "hannah@example.com" })
            #expect(movedMail.subject.hasPrefix("Moved: "))
            #expect(try Self.ics(movedMail).contains("SEQUENCE:1"))

            // Cancelling: a "Cancelled" mail whose .ics takes the event out of the calendar.
            let cancelCSRF = try await customer.csrf(on: confirmation)
            _ = try await customer.send(
                .POST, confirmation + "/cancel", headers: ["Accept": "text/html"], form: ["_csrf": cancelCSRF])
            #expect(try await Self.mailer(harness).drain() == .init(sent: 2))
            sent = await relay.sent
            let cancelled = try #require(sent.dropFirst(4).first { $0.to.email == "hannah@example.com" })
            #expect(cancelled.subject.hasPrefix("Cancelled: "))
            #expect(try Self.ics(cancelled).contains("STATUS:CANCELLED"))
            #expect(try Self.ics(cancelled).contains("SEQUENCE:2"))
            #expect(!(try Self.text(cancelled)).contains("To move or cancel it"))
        }
    }

    @Test func aMailThatFailsIsTriedAgainLaterAndOneRefusedIsGivenUp() async throws {
        let relay = RecordingTransport()
        try await ServerHarness.run("sqlite", web: true, mail: relay) { harness in
            _ = try await Self.book(harness)
            await relay.failNext([.failed("relay.example: connection refused"), .rejected("550 no such user")])
            // A relay that cannot be reached stops the pass: the next mail would only wait for it too.
            #expect(try await Self.mailer(harness).drain() == .init(waiting: 1))
            #expect(try await Self.mailer(harness).drain() == .init(failed: 1), "the next pass tries the other")
            let waiting = try #require(
                try await BookingMailRecord.query(on: harness.database).filter(\.$state == "pending").first())
            #expect(waiting.attempts == 1 && waiting.lastError == "relay.example: connection refused")
            #expect(waiting.notBefore == harness.now.addingTimeInterval(60), "one minute after the first failure")
            let refused = try #require(
                try await BookingMailRecord.query(on: harness.database).filter(\.$state == "failed").first())
            #expect(refused.lastError == "550 no such user")
            // Not before its time; then sent.
            #expect(try await Self.mailer(harness).drain() == .init())
            harness.clock.advance(by: 61)
            #expect(try await Self.mailer(harness).drain() == .init(sent: 1))
            #expect(await relay.sent.count == 1)
            // Settings says one could not be sent.
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let settings = try await web.send(.GET, "/settings/appointment-types", headers: ["Accept": "text/html"])
            #expect(settings.body.string.contains("relay.example:587, from dispatch@demo-msp.example"))
            #expect(settings.body.string.contains("1 could not be sent this week"))
        }
    }

    @Test func aMailThatWaitedADayIsGivenUpAndAMoveBeforeTheConfirmationLeftStaysOneConfirmation() async throws {
        let relay = RecordingTransport()
        try await ServerHarness.run("sqlite", web: true, mail: relay) { harness in
            let (confirmation, customer) = try await Self.book(harness)
            let later = try await BookingFlowTests.anotherTime(confirmation, customer, harness)
            let csrf = try await customer.csrf(on: confirmation + "/reschedule")
            _ = try await customer.send(
                .POST, confirmation + "/reschedule", headers: ["Accept": "text/html"],
                form: ["_csrf": csrf, "start": later])
            let mails = try await BookingMailRecord.query(on: harness.database).sort(\.$createdAt).all()
            #expect(mails.filter { $0.state == "superseded" }.count == 2)
            #expect(mails.filter { $0.state == "pending" }.map(\.event) == ["booked", "booked"])
            harness.clock.advance(by: 86_401)
            #expect(try await Self.mailer(harness).drain() == .init(failed: 2))
            #expect(await relay.sent.isEmpty, "nobody gets yesterday's confirmation")
            #expect(try await BookingMailRecord.query(on: harness.database).filter(\.$state == "expired").count() == 2)
        }
    }

    @Test func aCallDeletedInAutotaskTellsTheCustomerTheAppointmentIsCancelled() async throws {
        let relay = RecordingTransport()
        try await ServerHarness.run("sqlite", web: true, mail: relay) { harness in
            _ = try await Self.book(harness)
            #expect(try await Self.mailer(harness).drain() == .init(sent: 2))
            _ = try await BookingFlowTests.reflow(harness)
            let call = try #require(
                await harness.serviceCalls().first {
                    ($0.string("description") ?? "").contains("booked by Zoë Ó Briain")
                })
            try await harness.client.delete(ServiceCall.self, id: try #require(call.int("id")))
            _ = try await BookingFlowTests.reflow(harness)
            #expect(try await Self.mailer(harness).drain() == .init(sent: 2))
            let sent = await relay.sent
            let cancelled = try #require(sent.dropFirst(2).first { $0.to.email == "hannah@example.com" })
            #expect(cancelled.subject.hasPrefix("Cancelled: "))
            #expect(try Self.ics(cancelled).contains("STATUS:CANCELLED"))
        }
    }

    @Test func aMoveToAnotherTechnicianTellsBothTechnicians() async throws {
        let relay = RecordingTransport()
        try await ServerHarness.run("sqlite", web: true, mail: relay) { harness in
            _ = try await Self.book(harness)
            #expect(try await Self.mailer(harness).drain() == .init(sent: 2))
            let booking = try #require(try await BookingRecord.query(on: harness.database).first())
            let before = booking.resourceID
            let other = try #require(
                try await TechnicianRecord.query(on: harness.database).filter(\.$resourceID != before).first())
            booking.resourceID = other.resourceID
            booking.sequence += 1
            try await booking.save(on: harness.database)
            try await BookingMails.queue(
                booking, .moved, technicianBefore: before, now: harness.now, on: harness.database)
            #expect(try await Self.mailer(harness).drain() == .init(sent: 3))
            let sent = await relay.sent.dropFirst(2)
            let old = try #require(sent.first { $0.subject.hasPrefix("Reassigned: ") })
            #expect(old.to.email != other.email)
            #expect(try Self.ics(old).contains("STATUS:CANCELLED"), "off the old technician's calendar")
            let new = try #require(sent.first { $0.to.email == other.email })
            #expect(new.subject.hasPrefix("Booked: "), "the new technician gets it as booked")
            #expect(sent.contains { $0.to.email == "hannah@example.com" && $0.subject.hasPrefix("Moved: ") })
        }
    }

    @Test func aFailedMailWithANewerOneWaitingIsSuperseded() async throws {
        let relay = RecordingTransport()
        try await ServerHarness.run("sqlite", web: true, mail: relay) { harness in
            let (confirmation, customer) = try await Self.book(harness)
            let first = try #require(
                try await BookingMailRecord.query(on: harness.database).filter(\.$recipient == "customer").first())
            // The confirmation is being sent (claimed) when the customer cancels; the relay then fails.
            first.state = "sending"
            try await first.save(on: harness.database)
            let cancelCSRF = try await customer.csrf(on: confirmation)
            _ = try await customer.send(
                .POST, confirmation + "/cancel", headers: ["Accept": "text/html"], form: ["_csrf": cancelCSRF])
            first.state = "pending"
            try await first.save(on: harness.database)
            await relay.failNext([.failed("relay.example: connection reset")])
            _ = try await Self.mailer(harness).drain()
            let after = try #require(try await BookingMailRecord.find(first.id, on: harness.database))
            #expect(
                after.state == "superseded", "the cancellation tells the customer; the confirmation is not tried again")
        }
    }

    @Test func withoutARelayNothingIsSentAndSettingsSaysThePageIsTheReceipt() async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            #expect(harness.runtime?.mailer == nil)
            let (confirmation, customer) = try await Self.book(harness)
            let shown = try await customer.send(.GET, confirmation, headers: ["Accept": "text/html"])
            #expect(shown.body.string.contains("Keep this page"))
            #expect(!shown.body.string.contains("A confirmation with this page"))
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let settings = try await web.send(.GET, "/settings/appointment-types", headers: ["Accept": "text/html"])
            #expect(settings.body.string.contains("No mail relay is configured"))
            #expect(settings.body.string.contains("LIFTOFF_SMTP_URL"))
        }
    }
}

/// Reads a part of a rendered message back.
enum MailMessageParts {
    static func part(_ rendered: String, _ marker: String) -> Data? {
        let parts = rendered.components(separatedBy: "\r\n--")
        guard let part = parts.first(where: { $0.contains(marker) }), let blank = part.range(of: "\r\n\r\n") else {
            return nil
        }
        let body = part[blank.upperBound...].split(separator: "\r\n").prefix { !$0.hasPrefix("--") }.joined()
        return Data(base64Encoded: body)
    }
}
