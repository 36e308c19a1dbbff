import Fluent
import Foundation
import LiftoffCore
import Vapor

/// `/api/v1/appointment-types` and `/api/v1/availability`: the Fixed Appointment Scheduler's types
/// and the slots they offer (docs/booking.md). Everyone signed in reads; dispatchers and admins write.
/// A technician sees their own availability only.
struct BookingAPIRoutes: RouteCollection, Sendable {
    let runtime: LiftoffRuntime

    func boot(routes: RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireAccount(answer: .unauthorized), CSRFCheck())
        api.get("appointment-types", use: list)
        api.get("appointment-types", ":appointmentTypeId", use: show)
        api.get("availability", use: availability)
        api.post("booking-links", use: createLink)
        api.get("booking-links", use: links)
        api.delete("booking-links", ":bookingLinkId", use: revokeLink)
        api.get("bookings", use: bookingList)
        api.get("technicians", ":technicianId", "feed", use: feed)
        api.post("technicians", ":technicianId", "feed", "renew", use: renewFeed)
        let dispatchers = api.grouped(RequireRole(.dispatcher))
        dispatchers.post("appointment-types", use: create)
        dispatchers.put("appointment-types", ":appointmentTypeId", use: update)
        dispatchers.delete("appointment-types", ":appointmentTypeId", use: archive)
    }

    /// A type as the API answers it: its definition with its id and whether it is archived.
    struct TypeAnswer: Encodable {
        var stored: AppointmentTypes.Stored

        enum Keys: String, CodingKey { case id, archived }

        func encode(to encoder: any Encoder) throws {
            try stored.definition.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(stored.id.uuidString.lowercased(), forKey: .id)
            try container.encode(stored.archived, forKey: .archived)
        }
    }

    @Sendable func list(_ request: Request) async throws -> Response {
        let archived = (try? request.query.get(Bool.self, at: "archived")) ?? false
        let types = try await AppointmentTypes.all(includingArchived: archived, on: request.db)
        return try APIRoutes.json(types.map(TypeAnswer.init))
    }

    @Sendable func show(_ request: Request) async throws -> Response {
        try APIRoutes.json(TypeAnswer(stored: try await Self.type(request)))
    }

    @Sendable func create(_ request: Request) async throws -> Response {
        let definition = try request.decodeBody(AppointmentTypeDefinition.self)
        let stored = try await AppointmentTypes.save(
            definition, id: nil, now: runtime.clock.now(), on: request.db)
        let response = try APIRoutes.json(TypeAnswer(stored: stored))
        response.status = .created
        response.headers.replaceOrAdd(
            name: .location, value: "/api/v1/appointment-types/\(stored.id.uuidString.lowercased())")
        return response
    }

    @Sendable func update(_ request: Request) async throws -> Response {
        let id = try Self.typeID(request)
        let definition = try request.decodeBody(AppointmentTypeDefinition.self)
        let stored = try await AppointmentTypes.save(definition, id: id, now: runtime.clock.now(), on: request.db)
        return try APIRoutes.json(TypeAnswer(stored: stored))
    }

    @Sendable func archive(_ request: Request) async throws -> HTTPStatus {
        try await AppointmentTypes.archive(try Self.typeID(request), now: runtime.clock.now(), on: request.db)
        return .noContent
    }

    struct SlotAnswer: Encodable {
        var technicianId: Int
        var start: Date
        var end: Date
    }

    struct TechnicianAnswer: Encodable {
        var id: Int
        var name: String
        var timeZone: String
    }

    struct AvailabilityAnswer: Encodable {
        var appointmentTypeId: String
        var name: String
        var lengthMinutes: Int
        var from: Date
        var to: Date
        var technicians: [TechnicianAnswer]
        var slots: [SlotAnswer]
    }

    /// `GET /api/v1/availability?appointmentTypeId=…[&from=…&to=…&technicianId=…]`: the slots the
    /// booking page would offer, from the plan every page shows. `from` defaults to now, `to` to the
    /// end of the type's booking window; at most 62 days at once.
    @Sendable func availability(_ request: Request) async throws -> Response {
        let account = try request.account()
        guard let text = request.query[String.self, at: "appointmentTypeId"], !text.isEmpty else {
            throw Abort(.badRequest, reason: "appointmentTypeId is missing: GET /api/v1/appointment-types lists them")
        }
        guard let id = UUID(uuidString: text) else {
            throw Abort(
                .badRequest, reason: "appointmentTypeId must be an appointment type's id, got “\(text.prefix(40))”")
        }
        guard let stored = try await AppointmentTypes.find(id, on: request.db), !stored.archived else {
            throw Abort(.notFound, reason: "no appointment type has id \(id) (or it is archived)")
        }
        let now = runtime.clock.now()
        let from = try Self.instant(request, "from") ?? now
        let to =
            try Self.instant(request, "to")
            ?? now.addingTimeInterval(Double(stored.definition.bookingWindowDays) * 86_400)
        guard to > from else { throw Abort(.badRequest, reason: "to must be later than from") }
        guard to.timeIntervalSince(from) <= 62 * 86_400 else {
            throw Abort(.badRequest, reason: "from and to may be at most 62 days apart")
        }
        var only = try request.integerQuery("technicianId")
        if !account.canSeeEveryone {
            guard let own = account.resourceID else {
                throw Abort(.forbidden, reason: "your account is not linked to a technician")
            }
            if let asked = only, asked != own {
                throw Abort(.forbidden, reason: "you may see your own availability only")
            }
            only = own
        }
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        if let only, snapshot.indexByResource[only] == nil {
            throw Abort(.notFound, reason: "no active technician has resource id \(only)")
        }
        let found = BookableSlots.find(stored, in: snapshot, now: now, from: from, to: to, only: only)
        return try APIRoutes.json(
            AvailabilityAnswer(
                appointmentTypeId: id.uuidString.lowercased(), name: stored.definition.name,
                lengthMinutes: stored.definition.lengthMinutes, from: from, to: to,
                technicians: found.technicians.map {
                    TechnicianAnswer(id: $0.resourceID, name: $0.name, timeZone: $0.timeZone)
                },
                slots: found.slots.map {
                    SlotAnswer(technicianId: Int($0.technicianId) ?? 0, start: $0.start.date, end: $0.end.date)
                }))
    }

    // MARK: - Booking links

    struct NewLink: Content {
        var ticketId: Int
        var appointmentTypeId: UUID
        var technicianId: Int?
        var expiresInDays: Int?
    }

    struct LinkAnswer: Encodable {
        var id: String
        var ticketId: Int
        var appointmentTypeId: String
        var technicianId: Int?
        var path: String
        var url: String
        var expiresAt: Date
        var revoked: Bool
        var createdBy: String
        var createdAt: Date

        init(_ link: BookingLinkRecord, tokens: BookingToken, request: Request) {
            let id = link.id ?? UUID()
            self.id = id.uuidString.lowercased()
            ticketId = link.ticketID
            appointmentTypeId = link.appointmentTypeID.uuidString.lowercased()
            technicianId = link.technicianID
            path = "/book/" + tokens.link(id, expiresAt: link.expiresAt)
            url = BookingAPIRoutes.origin(of: request) + path
            expiresAt = link.expiresAt
            revoked = link.revokedAt != nil
            createdBy = link.createdBy
            createdAt = link.createdAt
        }
    }

    /// Where this Liftoff is reached: `LIFTOFF_PUBLIC_URL` when configured, else as the request says
    /// (its Host, and the forwarded scheme only from a trusted proxy).
    static func origin(of request: Request) -> String {
        let runtime = request.application.storage[LiftoffRuntimeKey.self]
        if let configured = runtime?.publicURL { return configured }
        let peer = request.remoteAddress?.ipAddress
        let proxied = peer.map { runtime?.trustedProxies.contains($0) ?? false } ?? false
        let scheme = proxied ? (request.headers.first(name: "X-Forwarded-Proto") ?? "http") : "http"
        let host = request.headers.first(name: .host) ?? "localhost"
        return "\(scheme == "https" ? "https" : "http")://\(host)"
    }

    /// `POST /api/v1/booking-links`: a link for a ticket. Technicians make links for tickets assigned
    /// to them and for themselves only.
    @Sendable func createLink(_ request: Request) async throws -> Response {
        let account = try request.account()
        let input = try request.decodeBody(NewLink.self)
        if !account.canSeeEveryone {
            guard let own = account.resourceID else {
                throw Abort(.forbidden, reason: "your account is not linked to a technician")
            }
            let ticket = try await TicketRecord.query(on: request.db).filter(\.$ticketID == input.ticketId).first()
            guard input.technicianId == nil || input.technicianId == own,
                ticket == nil || ticket?.assignedResourceID == own
            else {
                throw Abort(
                    .forbidden, reason: "technicians make booking links for their own tickets and themselves only")
            }
        }
        let tokens = BookingToken(box: runtime.box)
        let service = Bookings(
            database: request.db, planCache: runtime.planCache, tokens: tokens, now: runtime.clock.now())
        let (link, _) = try await service.makeLink(
            ticketID: input.ticketId, typeID: input.appointmentTypeId,
            technicianID: input.technicianId ?? (account.canSeeEveryone ? nil : account.resourceID),
            days: input.expiresInDays, by: account.username, origin: Self.origin(of: request))
        let response = try APIRoutes.json(LinkAnswer(link, tokens: tokens, request: request))
        response.status = .created
        return response
    }

    /// `GET /api/v1/booking-links[?ticketId=]`: newest first; a technician sees their own tickets' links.
    @Sendable func links(_ request: Request) async throws -> Response {
        let account = try request.account()
        var query = BookingLinkRecord.query(on: request.db).sort(\.$createdAt, .descending)
        if let ticket = try request.integerQuery("ticketId") { query = query.filter(\.$ticketID == ticket) }
        if !account.canSeeEveryone {
            let own = try await TicketRecord.query(on: request.db)
                .filter(\.$assignedResourceID == (account.resourceID ?? -1)).all().map(\.ticketID)
            query = query.filter(\.$ticketID ~~ own)
        }
        let links = try await query.limit(500).all()
        let tokens = BookingToken(box: runtime.box)
        return try APIRoutes.json(links.map { LinkAnswer($0, tokens: tokens, request: request) })
    }

    /// `DELETE /api/v1/booking-links/{id}`: the link stops working at once; bookings made with it stay.
    @Sendable func revokeLink(_ request: Request) async throws -> HTTPStatus {
        let account = try request.account()
        let text = request.parameters.get("bookingLinkId") ?? ""
        guard let id = UUID(uuidString: text) else {
            throw Abort(.badRequest, reason: "bookingLinkId must be a booking link's id, got “\(text.prefix(40))”")
        }
        guard let link = try await BookingLinkRecord.find(id, on: request.db) else {
            throw Abort(.notFound, reason: "no booking link has id \(id)")
        }
        guard account.canSeeEveryone || link.createdBy == account.username else {
            throw Abort(.forbidden, reason: "technicians revoke the links they made only")
        }
        if link.revokedAt == nil {
            link.revokedAt = runtime.clock.now()
            try await link.save(on: request.db)
        }
        return .noContent
    }

    struct BookingAnswer: Encodable {
        var id: String
        var ticketId: Int
        var technicianId: Int
        var appointmentTypeId: String
        var start: Date
        var end: Date
        var state: String
        var customerName: String
        var customerEmail: String
        var customerPhone: String?
        var note: String?
        var customerTimeZone: String
    }

    /// `GET /api/v1/bookings[?ticketId=]`: the latest 1,000 by start, latest first; a technician sees
    /// their own.
    @Sendable func bookingList(_ request: Request) async throws -> Response {
        let account = try request.account()
        var query = BookingRecord.query(on: request.db).sort(\.$start, .descending)
        if let ticket = try request.integerQuery("ticketId") { query = query.filter(\.$ticketID == ticket) }
        if !account.canSeeEveryone { query = query.filter(\.$resourceID == (account.resourceID ?? -1)) }
        return try APIRoutes.json(
            try await query.limit(1000).all().map {
                BookingAnswer(
                    id: $0.id?.uuidString.lowercased() ?? "", ticketId: $0.ticketID, technicianId: $0.resourceID,
                    appointmentTypeId: $0.appointmentTypeID.uuidString.lowercased(), start: $0.start, end: $0.end,
                    state: $0.state, customerName: $0.customerName, customerEmail: $0.customerEmail,
                    customerPhone: $0.customerPhone, note: $0.note, customerTimeZone: $0.customerZone)
            })
    }

    // MARK: - Calendar feeds

    struct FeedAnswer: Encodable {
        var path: String
        var url: String
    }

    /// `GET /api/v1/technicians/{id}/feed`: the technician's calendar feed address.
    @Sendable func feed(_ request: Request) async throws -> Response {
        let id = try await Self.feedTechnician(request)
        let path = try await CalendarFeed(database: request.db, box: runtime.box).path(of: id)
        return try APIRoutes.json(FeedAnswer(path: path, url: Self.origin(of: request) + path))
    }

    /// `POST /api/v1/technicians/{id}/feed/renew`: a new address; the old one stops working.
    @Sendable func renewFeed(_ request: Request) async throws -> Response {
        let id = try await Self.feedTechnician(request)
        let path = try await CalendarFeed(database: request.db, box: runtime.box).renew(id)
        return try APIRoutes.json(FeedAnswer(path: path, url: Self.origin(of: request) + path))
    }

    static func feedTechnician(_ request: Request) async throws -> Int {
        let id = try request.technicianIDParameter()
        guard try await TechnicianRecord.query(on: request.db).filter(\.$resourceID == id).first() != nil else {
            throw Abort(.notFound, reason: "no technician has resource id \(id)")
        }
        _ = try request.requireTechnicianAccess(id)
        return id
    }

    static func typeID(_ request: Request) throws -> UUID {
        let text = request.parameters.get("appointmentTypeId") ?? ""
        guard let id = UUID(uuidString: text) else {
            throw Abort(
                .badRequest, reason: "appointmentTypeId must be an appointment type's id, got “\(text.prefix(40))”")
        }
        return id
    }

    static func type(_ request: Request) async throws -> AppointmentTypes.Stored {
        let id = try typeID(request)
        guard let stored = try await AppointmentTypes.find(id, on: request.db) else {
            throw Abort(.notFound, reason: "no appointment type has id \(id)")
        }
        return stored
    }

    /// An RFC 3339 query parameter, or nil when absent; a 400 naming it when it is not one.
    static func instant(_ request: Request, _ name: String) throws -> Date? {
        guard let text = request.query[String.self, at: name], !text.isEmpty else { return nil }
        guard let date = Instants.date(text) else {
            throw Abort(.badRequest, reason: "\(name) \(Instants.expected(text))")
        }
        return date
    }
}
