import Fluent
import Foundation
import LiftoffCore
import Logging
import WallClock

/// Sends the queued confirmation e-mails (``BookingMailRecord``) through the relay, when one is
/// configured. Every booking change pulls it; a pass every minute takes up mails waiting after a
/// failure. Several instances may drain at once: a mail is sent only by the one whose claim (one
/// atomic statement, by the database's clock) took it, as the ticket outbox does.
///
/// A mail that fails waits 1, 2, 4 … up to 60 minutes between tries; one the relay refuses for good
/// (5xx to the recipient or the message) fails at once, and one that could not go out within a day —
/// or waited that long because no relay was configured — is given up, so nobody gets yesterday's
/// confirmation. Failures are logged and counted on Settings › Appointment types.
actor BookingMailer {
    private let database: Database
    private let transport: any MailTransport
    private let from: MailMessage.Address
    private let tokens: BookingToken
    /// `LIFTOFF_PUBLIC_URL`: the address in the customer's link to move or cancel, when configured.
    private let publicURL: String?
    private let clock: LiftoffClock
    private let logger: Logger
    /// Drains at every pull, one at a time (``CoalescingRunner``); nil until ``start(everySeconds:)``:
    /// tests call ``drain()`` themselves.
    private var runner: CoalescingRunner?
    private var periodic: Task<Void, Never>?

    /// How long a claim to send one mail lasts: longer than the SMTP conversation's deadline.
    static let claimDuration: Int64 = 120_000
    /// A mail not sent within this is given up.
    static let giveUpAfter: TimeInterval = 86_400

    struct Outcome: Equatable, Sendable {
        var sent = 0
        var failed = 0
        var waiting = 0
    }

    init(
        database: Database, transport: any MailTransport, from: MailMessage.Address, tokens: BookingToken,
        publicURL: String?, clock: LiftoffClock, logger: Logger
    ) {
        self.publicURL = publicURL
        self.database = database
        self.transport = transport
        self.from = from
        self.tokens = tokens
        self.clock = clock
        self.logger = logger
    }

    /// Drains soon, once more when something arrives during a drain; nothing before ``start(everySeconds:)``.
    func pull() async {
        await runner?.pull()
    }

    /// Sends on its own from now on: at every booking change, and every `seconds` for the mails
    /// waiting after a failure.
    func start(everySeconds seconds: Double = 60) {
        guard runner == nil else { return }
        let logger = logger
        runner = CoalescingRunner { [weak self] in
            do {
                _ = try await self?.drain()
            } catch {
                logger.warning("booking mail", metadata: ["error": "\(error)"])
            }
        }
        periodic = Task { [weak self] in
            while !Task.isCancelled {
                await self?.pull()
                try? await Task.sleep(for: .seconds(seconds))
            }
        }
    }

    func stop() async {
        periodic?.cancel()
        periodic = nil
        await runner?.stop()
    }

    /// Sends every mail that is due, oldest first. A pass stops at the first mail that could not be
    /// sent for a reason of the relay's (unreachable, TLS, login): the rest would fail the same way,
    /// each after its own timeout; they wait for the next pass.
    func drain() async throws -> Outcome {
        var outcome = Outcome()
        let sql = try StoreRows.sql(database)
        // Claims of a process that died: pending again.
        try await sql.raw(
            """
            UPDATE booking_mails SET state = 'pending'
            WHERE state = 'sending' AND claim_expires_ms < \(unsafeRaw: ReflowLease.databaseNow(sql))
            """
        ).run()
        let due = try await BookingMailRecord.query(on: database).filter(\.$state == "pending")
            .filter(\.$notBefore <= clock.now()).sort(\.$createdAt).limit(100).all()
        for mail in due {
            try Task.checkCancellation()
            let now = clock.now()
            if now.timeIntervalSince(mail.createdAt) > Self.giveUpAfter {
                try await finish(
                    mail, state: mail.attempts == 0 ? "expired" : "failed",
                    error: mail.lastError ?? "not sent within a day (no relay was configured then)", from: "pending")
                outcome.failed += 1
                continue
            }
            let rows = try await sql.raw(
                """
                UPDATE booking_mails SET state = 'sending',
                    claim_expires_ms = \(unsafeRaw: ReflowLease.databaseNow(sql)) + \(bind: Self.claimDuration)
                WHERE id = \(bind: try mail.requireID()) AND state = 'pending' RETURNING id
                """
            ).all()
            guard rows.count == 1 else { continue }
            switch try await send(mail) {
            case .sent: outcome.sent += 1
            case .failed: outcome.failed += 1
            case .waiting:
                outcome.waiting += 1
                return outcome
            }
        }
        return outcome
    }

    private enum Result {
        case sent, failed, waiting
    }

    private func send(_ mail: BookingMailRecord) async throws -> Result {
        let now = clock.now()
        guard let facts = try await facts(for: mail),
            let message = BookingMails.message(for: mail, facts: facts, from: from, now: now)
        else {
            try await finish(mail, state: "skipped", error: "nobody to send it to (no usable e-mail address)")
            return .failed
        }
        let attempts = mail.attempts + 1
        let refusal: MailDeliveryError?
        do {
            try await transport.send(message)
            refusal = nil
        } catch {
            refusal = error
        }
        switch refusal {
        case nil:
            try await finish(mail, state: "sent", attempts: attempts, sentAt: clock.now())
            logger.info(
                "booking mail sent",
                metadata: ["booking": "\(mail.bookingID)", "recipient": "\(mail.recipient)", "event": "\(mail.event)"])
            return .sent
        case .rejected(let why)?:
            try await finish(mail, state: "failed", error: why, attempts: attempts)
            logger.error(
                "the relay refused a booking mail", metadata: ["booking": "\(mail.bookingID)", "error": "\(why)"])
            return .failed
        case .failed(let why)?:
            // A newer mail to the same person about the same booking already waits: it tells more.
            let newer = try await BookingMailRecord.query(on: database).filter(\.$bookingID == mail.bookingID)
                .filter(\.$recipient == mail.recipient).filter(\.$state == "pending").all()
                .contains { $0.technicianID == mail.technicianID }
            let minutes = min(60, 1 << min(attempts - 1, 6))
            try await finish(
                mail, state: newer ? "superseded" : "pending", error: why, attempts: attempts,
                notBefore: clock.now().addingTimeInterval(Double(minutes) * 60))
            logger.warning(
                "a booking mail waits",
                metadata: ["booking": "\(mail.bookingID)", "error": "\(why)", "retryMinutes": "\(minutes)"])
            return .waiting
        }
    }

    /// Records what became of a mail — only while it is still this sender's (`sending`), or, for one
    /// given up unsent, still `pending`: another instance's outcome or a supersession is never
    /// overwritten.
    private func finish(
        _ mail: BookingMailRecord, state: String, error: String? = nil, attempts: Int? = nil, sentAt: Date? = nil,
        notBefore: Date? = nil, from expected: String = "sending"
    ) async throws {
        var update = BookingMailRecord.query(on: database).filter(\.$id == (try mail.requireID()))
            .filter(\.$state == expected).set(\.$state, to: state).set(\.$lastError, to: error)
            .set(\.$claimExpiresMs, to: nil)
        if let attempts { update = update.set(\.$attempts, to: attempts) }
        if let sentAt { update = update.set(\.$sentAt, to: sentAt) }
        if let notBefore { update = update.set(\.$notBefore, to: notBefore) }
        try await update.update()
    }

    private func facts(for mail: BookingMailRecord) async throws -> BookingMails.Facts? {
        guard let booking = try await BookingRecord.find(mail.bookingID, on: database),
            let type = try await AppointmentTypes.find(booking.appointmentTypeID, on: database)
        else { return nil }
        let ticket = try await TicketRecord.query(on: database).filter(\.$ticketID == booking.ticketID).first()
        let about = mail.technicianID ?? booking.resourceID
        let technician = try await TechnicianRecord.query(on: database).filter(\.$resourceID == about).first()
        var origin = publicURL
        if origin == nil { origin = try await BookingLinkRecord.find(booking.linkID, on: database)?.origin }
        return BookingMails.Facts(
            booking: booking, typeName: type.definition.name,
            location: BookingPages.locationWords[type.definition.location] ?? type.definition.location,
            ticket: ticket, technician: technician,
            manageURL: origin.map { "\($0)/bookings/\(tokens.booking(mail.bookingID))" },
            reassigned: mail.recipient == "technician" && about != booking.resourceID && booking.state == "open")
    }
}
