import Fluent
import Foundation
import LiftoffCore
import Vapor

/// The public booking page (docs/booking.md): no account, the link is the key. A customer picks a
/// day and a time in their own zone, gives their details and books; the confirmation page offers the
/// `.ics` file and, until the type's minimum notice, rescheduling and cancelling. Works without
/// JavaScript (every step is a link or a form); the script only detects the customer's zone.
struct BookingPages: RouteCollection {
    let runtime: LiftoffRuntime

    func boot(routes: RoutesBuilder) throws {
        let forms = routes.grouped(CSRFCheck())
        routes.get("book", ":token", use: bookPage)
        forms.post("book", ":token", use: book)
        routes.get("bookings", ":token", use: bookingPage)
        routes.get("bookings", ":token", "booking.ics", use: calendarFile)
        routes.get("bookings", ":token", "reschedule", use: reschedulePage)
        forms.post("bookings", ":token", "reschedule", use: reschedule)
        forms.post("bookings", ":token", "cancel", use: cancel)
        routes.get("feeds", ":file", use: feed)
    }

    /// A technician's calendar feed; an address that is not (or no longer) theirs is a 404.
    @Sendable func feed(_ request: Request) async throws -> Response {
        let feed = CalendarFeed(database: request.db, box: runtime.box)
        guard let resourceID = try await feed.technician(in: request.parameters.get("file") ?? "") else {
            throw Abort(
                .notFound, reason: "this calendar feed address is not (or no longer) valid; ask for the new one")
        }
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        let now = runtime.clock.now()
        let name = snapshot.indexByResource[resourceID].map { snapshot.technicians[$0].name } ?? String(resourceID)
        let text = try await feed.text(
            of: resourceID, name: name, events: CalendarFeed.events(of: resourceID, in: snapshot, now: now), stamp: now)
        return Response(
            status: .ok,
            headers: ["Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "no-cache"],
            body: .init(string: text))
    }

    private func bookings(_ request: Request) -> Bookings {
        Bookings(
            database: request.db, planCache: runtime.planCache, tokens: BookingToken(box: runtime.box),
            now: runtime.clock.now())
    }

    // MARK: - Choosing a time

    struct Choice: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct DayLink: Encodable {
        var label: String
        var url: String
        var selected: Bool
    }

    /// The values of the booking form, as typed (shown back after a mistake).
    struct BookForm: Content {
        var start: String?
        var name: String?
        var email: String?
        var phone: String?
        var note: String?
        var zone: String?
    }

    struct BookContext: Encodable {
        var title: String
        var csrf: String
        var heading: String
        var typeName: String
        var lengthMinutes: Int
        var location: String
        var ticket: String
        var withWhom: String?
        var zone: String
        var zones: [Choice]
        var days: [DayLink]
        var hasDays: Bool
        var dayLabel: String?
        var times: [Choice]
        var action: String
        var pageURL: String
        var selectedDay: String
        var form: BookForm
        var error: String?
        var taken: Bool
        var reschedule: Bool
        var currentTime: String?
    }

    /// What a link offers, grouped into the customer's days.
    private struct Picker {
        var days: [DayLink]
        var selectedDay: String
        var dayLabel: String?
        var times: [Choice]
    }

    private func picker(
        offers: [Bookings.Offer], zone: TimeZone, day: String?, chosen: String?, url: String, now: Date
    ) -> Picker {
        guard let first = offers.first, let last = offers.last else {
            return Picker(days: [], selectedDay: "", dayLabel: nil, times: [])
        }
        let reader = WallClockReader(
            timeZone: zone, from: CalendarReflowJob.instant(min(first.start, now)),
            to: CalendarReflowJob.instant(last.end))
        var order: [String] = []
        var byDay: [String: [Bookings.Offer]] = [:]
        for offer in offers {
            let date = reader.date(CalendarReflowJob.instant(offer.start)).description
            if byDay[date] == nil { order.append(date) }
            byDay[date, default: []].append(offer)
        }
        let chosenDay = chosen.flatMap { Instants.date($0) }.map {
            reader.date(CalendarReflowJob.instant($0)).description
        }
        let selected = [day, chosenDay].compactMap { $0 }.first { byDay[$0] != nil } ?? order[0]
        let zoneQuery = zone.identifier.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let days = order.map { date in
            DayLink(
                label: reader.day(CalendarReflowJob.instant(byDay[date]![0].start)),
                url: "\(url)?day=\(date)&zone=\(zoneQuery)#times", selected: date == selected)
        }
        let times = (byDay[selected] ?? []).map { offer in
            let value = RFC3339.format(CalendarReflowJob.instant(offer.start))
            return Choice(
                value: value, label: reader.clock(CalendarReflowJob.instant(offer.start)), selected: value == chosen)
        }
        return Picker(
            days: days, selectedDay: selected,
            dayLabel: (byDay[selected]?.first).map { reader.day(CalendarReflowJob.instant($0.start)) }, times: times)
    }

    /// The customer's zone: asked for, else the booking's, else the technician's.
    private static func zone(_ asked: String?, fallback: String) -> TimeZone {
        if let asked, let zone = TimeZone(identifier: asked) { return zone }
        return TimeZone(identifier: fallback) ?? .gmt
    }

    private static let zoneNames = TimeZone.knownTimeZoneIdentifiers.sorted()

    private func renderBook(
        _ request: Request, link: BookingLinkRecord, type: AppointmentTypes.Stored, ticket: TicketRecord,
        form: BookForm, error: String?, taken: [Bookings.Offer]? = nil, status: HTTPStatus = .ok,
        rescheduling booking: BookingRecord? = nil, token: String
    ) async throws -> Response {
        let service = bookings(request)
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        let open = try await Bookings.openBookings(now: service.now, on: request.db)
        let window = service.now.addingTimeInterval(Double(type.definition.bookingWindowDays) * 86_400)
        let offers =
            taken
            ?? service.offers(
                link: link, type: type, snapshot: snapshot, bookings: open, from: service.now, to: window,
                except: booking?.id)
        let candidates = Bookings.candidates(of: link, type: type, in: snapshot)
        let technicianZone =
            candidates.lazy.compactMap { snapshot.indexByResource[$0] }.first.map {
                snapshot.technicians[$0].timeZone
            } ?? "UTC"
        let asked = form.zone ?? request.query[String.self, at: "zone"]
        let zone = Self.zone(asked, fallback: booking?.customerZone ?? technicianZone)
        let url = booking == nil ? "/book/\(token)" : "/bookings/\(token)/reschedule"
        let picked = picker(
            offers: offers, zone: zone, day: request.query[String.self, at: "day"], chosen: form.start, url: url,
            now: service.now)
        let names = Dictionary(
            snapshot.technicians.map { ($0.resourceID, $0.name) }, uniquingKeysWith: { first, _ in first })
        var shown = form
        shown.zone = zone.identifier
        let current = booking.map { Self.when($0.start, $0.end, in: zone) }
        let context = BookContext(
            title: booking == nil ? "Book \(type.definition.name)" : "Move your appointment",
            csrf: CSRF.token(for: request),
            heading: booking == nil ? "Book a time" : "Move your appointment",
            typeName: type.definition.name, lengthMinutes: type.definition.lengthMinutes,
            location: Self.locationWords[type.definition.location] ?? type.definition.location,
            ticket: "\(ticket.number) — \(ticket.title)",
            withWhom: candidates.count == 1 ? names[candidates[0]] : nil, zone: zone.identifier,
            zones: Self.zoneNames.map {
                Choice(value: $0, label: $0.replacingOccurrences(of: "_", with: " "), selected: $0 == zone.identifier)
            },
            days: picked.days, hasDays: !picked.days.isEmpty, dayLabel: picked.dayLabel, times: picked.times,
            action: url, pageURL: url, selectedDay: picked.selectedDay, form: shown, error: error,
            taken: taken != nil, reschedule: booking != nil, currentTime: current)
        let response = try await request.view.render("book", context).encodeResponse(for: request)
        response.status = status
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static let locationWords = ["remote": "online (remote)", "onsite": "at your site", "phone": "by phone"]

    /// "Tue 8 Sep 10:00 – 10:30" in `zone` (the end's day too when it is another day).
    static func when(_ start: Date, _ end: Date, in zone: TimeZone) -> String {
        let reader = WallClockReader(
            timeZone: zone, from: CalendarReflowJob.instant(start.addingTimeInterval(-86_400)),
            to: CalendarReflowJob.instant(end.addingTimeInterval(86_400)))
        let (from, to) = (CalendarReflowJob.instant(start), CalendarReflowJob.instant(end))
        let endDay = reader.date(to) == reader.date(from) ? "" : reader.day(to) + " "
        return "\(reader.day(from)) \(reader.clock(from)) – \(endDay)\(reader.clock(to))"
    }

    @Sendable func bookPage(_ request: Request) async throws -> Response {
        let token = request.parameters.get("token") ?? ""
        switch try await bookings(request).resolve(token) {
        case .valid(let link, let type, let ticket):
            return try await renderBook(
                request, link: link, type: type, ticket: ticket, form: BookForm(), error: nil, token: token)
        case let other:
            return try await problem(request, other)
        }
    }

    @Sendable func book(_ request: Request) async throws -> Response {
        let token = request.parameters.get("token") ?? ""
        if let limited = try await limit(request) { return limited }
        let service = bookings(request)
        guard case .valid(let link, let type, let ticket) = try await service.resolve(token) else {
            return try await problem(request, try await service.resolve(token))
        }
        let form = try request.content.decode(BookForm.self)
        let customer: Bookings.Customer
        let start: Date
        do {
            (customer, start) = try Self.checked(form)
        } catch let abort as AbortError {
            return try await renderBook(
                request, link: link, type: type, ticket: ticket, form: form, error: abort.reason,
                status: .badRequest, token: token)
        }
        switch try await service.book(link: link, type: type, ticket: ticket, start: start, customer: customer) {
        case .booked(let id):
            await runtime.changed()
            request.logger.info("booked", metadata: ["booking": "\(id)", "ticket": "\(link.ticketID)"])
            return request.redirect(to: "/bookings/\(service.tokens.booking(id))", redirectType: .normal)
        case .taken(let nearest):
            return try await renderBook(
                request, link: link, type: type, ticket: ticket, form: form,
                error: "Sorry — that time was just taken. "
                    + (nearest.isEmpty ? "No other time is free now." : "These are the nearest free times:"),
                taken: nearest, status: .conflict, token: token)
        }
    }

    /// The customer's details and the time, or a 400 naming each field that is wrong.
    static func checked(_ form: BookForm) throws -> (Bookings.Customer, Date) {
        var problems: [String] = []
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = (form.phone ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let note = (form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 100 { problems.append("Please give your name (up to 100 characters).") }
        // The address must be one SMTP can carry as it is: it goes into the confirmation e-mails.
        if email.count > 200 || !SMTPConfiguration.isPlainAddress(email) {
            problems.append("Please give an e-mail address such as name@example.com.")
        }
        if phone.count > 40 { problems.append("The phone number is too long (up to 40 characters).") }
        if note.count > 2000 { problems.append("The note is too long (up to 2000 characters).") }
        let start = form.start.flatMap { Instants.date($0) }
        if start == nil { problems.append("Please choose a time.") }
        guard problems.isEmpty, let start else { throw Abort(.badRequest, reason: problems.joined(separator: " ")) }
        let zone = form.zone.flatMap { TimeZone(identifier: $0) }?.identifier ?? "UTC"
        return (
            Bookings.Customer(
                name: name, email: email, phone: phone.isEmpty ? nil : phone, note: note.isEmpty ? nil : note,
                zone: zone), start
        )
    }

    // MARK: - The booking

    struct BookingContext: Encodable {
        var title: String
        var csrf: String
        var state: String
        var typeName: String
        var location: String
        var ticket: String
        var technician: String
        var when: String
        var zone: String
        var technicianTime: String?
        var customerName: String
        var changeable: Bool
        var justBooked: Bool
        var token: String
        var flash: String?
        /// Where the confirmation e-mail goes, when Liftoff sends one.
        var mailTo: String?
    }

    /// The booking a token names, with its type and link; nil (a clear page) when the token is not one.
    private func booking(_ request: Request) async throws -> (
        BookingRecord, AppointmentTypes.Stored, BookingLinkRecord
    )? {
        let token = request.parameters.get("token") ?? ""
        guard let id = BookingToken(box: runtime.box).bookingID(in: token),
            let booking = try await BookingRecord.find(id, on: request.db),
            let type = try await AppointmentTypes.find(booking.appointmentTypeID, on: request.db),
            let link = try await BookingLinkRecord.find(booking.linkID, on: request.db)
        else { return nil }
        return (booking, type, link)
    }

    @Sendable func bookingPage(_ request: Request) async throws -> Response {
        guard let (booking, type, _) = try await booking(request) else {
            return try await problem(request, .unknown)
        }
        let service = bookings(request)
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        let ticket = try await TicketRecord.query(on: request.db).filter(\.$ticketID == booking.ticketID).first()
        let zone = Self.zone(booking.customerZone, fallback: "UTC")
        let technician = snapshot.indexByResource[booking.resourceID].map { snapshot.technicians[$0] }
        var technicianTime: String?
        if let technician, technician.timeZone != zone.identifier,
            let technicianZone = TimeZone(identifier: technician.timeZone)
        {
            technicianTime =
                "\(Self.when(booking.start, booking.end, in: technicianZone)) (\(technicianZone.identifier), the technician's time)"
        }
        let context = BookingContext(
            title: booking.state == "canceled" ? "Appointment cancelled" : "Your appointment",
            csrf: CSRF.token(for: request), state: booking.state, typeName: type.definition.name,
            location: Self.locationWords[type.definition.location] ?? type.definition.location,
            ticket: ticket.map { "\($0.number) — \($0.title)" } ?? "ticket \(booking.ticketID)",
            technician: technician?.name ?? "your technician",
            when: Self.when(booking.start, booking.end, in: zone),
            zone: zone.identifier, technicianTime: technicianTime, customerName: booking.customerName,
            changeable: service.changeable(booking, type: type, snapshot: snapshot),
            justBooked: booking.sequence == 0 && booking.state == "open",
            token: request.parameters.get("token") ?? "", flash: request.query[String.self, at: "done"],
            mailTo: runtime.mailer == nil ? nil : booking.customerEmail)
        let response = try await request.view.render("booking", context).encodeResponse(for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func calendarFile(_ request: Request) async throws -> Response {
        guard let (booking, type, _) = try await booking(request) else {
            return try await problem(request, .unknown)
        }
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        let technician = snapshot.indexByResource[booking.resourceID].map { snapshot.technicians[$0] }
        let ticket = try await TicketRecord.query(on: request.db).filter(\.$ticketID == booking.ticketID).first()
        let zone =
            TimeZone(identifier: booking.customerZone) ?? TimeZone(identifier: technician?.timeZone ?? "") ?? .gmt
        let file = ICalendarFile.booking(
            booking, typeName: type.definition.name,
            location: Self.locationWords[type.definition.location] ?? type.definition.location,
            technicianName: technician?.name, ticket: ticket, zone: zone, stamp: runtime.clock.now())
        return Response(
            status: .ok,
            headers: [
                "Content-Type": "text/calendar; charset=utf-8",
                "Content-Disposition": "attachment; filename=\"appointment.ics\"", "Cache-Control": "no-store",
            ], body: .init(string: file.text))
    }

    @Sendable func reschedulePage(_ request: Request) async throws -> Response {
        guard let (booking, type, link) = try await booking(request) else {
            return try await problem(request, .unknown)
        }
        let service = bookings(request)
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        guard service.changeable(booking, type: type, snapshot: snapshot),
            let ticket = try await TicketRecord.query(on: request.db).filter(\.$ticketID == booking.ticketID).first()
        else {
            return request.redirect(to: "/bookings/\(request.parameters.get("token") ?? "")", redirectType: .normal)
        }
        return try await renderBook(
            request, link: link, type: type, ticket: ticket, form: BookForm(), error: nil,
            rescheduling: booking, token: request.parameters.get("token") ?? "")
    }

    @Sendable func reschedule(_ request: Request) async throws -> Response {
        if let limited = try await limit(request) { return limited }
        guard let (booking, type, link) = try await booking(request) else {
            return try await problem(request, .unknown)
        }
        let token = request.parameters.get("token") ?? ""
        let service = bookings(request)
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        guard service.changeable(booking, type: type, snapshot: snapshot),
            let ticket = try await TicketRecord.query(on: request.db).filter(\.$ticketID == booking.ticketID).first()
        else {
            return request.redirect(to: "/bookings/\(token)", redirectType: .normal)
        }
        let form = try request.content.decode(BookForm.self)
        guard let start = form.start.flatMap({ Instants.date($0) }) else {
            return try await renderBook(
                request, link: link, type: type, ticket: ticket, form: form, error: "Please choose a time.",
                status: .badRequest, rescheduling: booking, token: token)
        }
        switch try await service.book(
            link: link, type: type, ticket: ticket, start: start, customer: nil, moving: booking.id)
        {
        case .booked:
            await runtime.changed()
            return request.redirect(to: "/bookings/\(token)?done=moved", redirectType: .normal)
        case .taken(let nearest):
            return try await renderBook(
                request, link: link, type: type, ticket: ticket, form: form,
                error: "Sorry — that time was just taken. "
                    + (nearest.isEmpty ? "No other time is free now." : "These are the nearest free times:"),
                taken: nearest, status: .conflict, rescheduling: booking, token: token)
        }
    }

    @Sendable func cancel(_ request: Request) async throws -> Response {
        if let limited = try await limit(request) { return limited }
        guard let (booking, type, _) = try await booking(request) else {
            return try await problem(request, .unknown)
        }
        let token = request.parameters.get("token") ?? ""
        let service = bookings(request)
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        guard service.changeable(booking, type: type, snapshot: snapshot) else {
            return request.redirect(to: "/bookings/\(token)", redirectType: .normal)
        }
        try await service.cancel(booking)
        await runtime.changed()
        return request.redirect(to: "/bookings/\(token)?done=cancelled", redirectType: .normal)
    }

    // MARK: - Problems

    struct ProblemContext: Encodable {
        var title: String
        var message: String
    }

    /// A clear page for a link that cannot be used, saying what to do; nothing is changed.
    private func problem(_ request: Request, _ resolution: Bookings.Resolution) async throws -> Response {
        let (status, title, message): (HTTPStatus, String, String)
        switch resolution {
        case .unknown:
            (status, title, message) = (
                .notFound, "This link does not work",
                "The address is not a booking link of ours — perhaps it was cut short or changed when it was copied. Please open the link from the message you received, or ask us for a new one."
            )
        case .expired(let date):
            (status, title, message) = (
                .gone, "This booking link has expired",
                "It could be used until \(AutotaskDateText.instant(date).prefix(10)). Please ask us for a new one."
            )
        case .revoked:
            (status, title, message) = (
                .gone, "This booking link was withdrawn", "Please ask us for a new one."
            )
        case .closed(let why):
            (status, title, message) = (
                .gone, "This booking link can no longer be used",
                "\(why.prefix(1).uppercased())\(why.dropFirst()). Please contact us if you still need an appointment."
            )
        case .valid:
            (status, title, message) = (.ok, "", "")
        }
        let response = try await request.view.render("booking-problem", ProblemContext(title: title, message: message))
            .encodeResponse(for: request)
        response.status = status
        return response
    }

    /// A 429 page when this address sent too many booking forms.
    private func limit(_ request: Request) async throws -> Response? {
        guard
            let wait = try await BookingLimit().attempt(
                from: request.clientAddress, now: runtime.clock.now(), on: request.db)
        else { return nil }
        let minutes = Int((wait / 60).rounded(.up))
        let response = try await request.view.render(
            "booking-problem",
            ProblemContext(
                title: "Too many attempts",
                message:
                    "Too many booking forms were sent from here. Please try again in \(minutes) minute\(minutes == 1 ? "" : "s")."
            )
        ).encodeResponse(for: request)
        response.status = .tooManyRequests
        response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
        return response
    }
}
