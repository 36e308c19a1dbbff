import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Vapor

/// The pages: Workboard, calendar and settings, server-rendered with Leaf. Every form posts here
/// with its CSRF token and comes back to the page with a message.
struct PageRoutes: RouteCollection {
    let runtime: LiftoffRuntime

    func boot(routes: RoutesBuilder) throws {
        let pages = routes.grouped(RequireAccount(answer: .redirectToLogin), CSRFCheck())
        pages.get(use: home)
        pages.get("workboard", use: workboardHome)
        pages.get("workboard", ":technicianId", use: workboard)
        pages.get("workboard", ":technicianId", "lanes", use: lanes)
        pages.post("workboard", ":technicianId", "activities", ":activityId", "undo", use: undo)
        pages.post("workboard", ":technicianId", "activities", ":activityId", ":action", use: act)
        pages.post("workboard", ":technicianId", "booking-links", use: makeBookingLink)
        pages.post("workboard", ":technicianId", "feed", "renew", use: renewFeed)
        pages.get("calendar", use: calendar)
        pages.get("account", use: account)
        pages.post("account", "password", use: changePassword)
        // Settings and the connection report: dispatchers and admins (admins' forms guard themselves).
        let dispatchers = pages.grouped(RequireRole(.dispatcher))
        try dispatchers.register(collection: SettingsPages(runtime: runtime))
        try dispatchers.register(collection: ConnectionPages(runtime: runtime))
        try dispatchers.register(collection: AppointmentTypePages(runtime: runtime))
    }

    /// Where a person lands after logging in: a dispatcher or admin on the day's calendar of everyone
    /// (what they plan from at 8 a.m.), a technician on their own Workboard.
    @Sendable func home(_ request: Request) async throws -> Response {
        let account = try request.account()
        return request.redirect(to: account.canSeeEveryone ? "/calendar?view=day" : "/workboard")
    }

    @Sendable func workboardHome(_ request: Request) async throws -> Response {
        let account = try request.account()
        if let chosen = try? request.query.get(Int.self, at: "technician") {
            return request.redirect(to: "/workboard/\(chosen)")
        }
        if let own = account.resourceID { return request.redirect(to: "/workboard/\(own)") }
        guard account.canSeeEveryone else {
            throw Abort(.forbidden, reason: "your account is not linked to a technician; ask an admin to link it")
        }
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        guard let first = snapshot.technicians.first else {
            request.flash(
                error: "No technicians are imported yet. An admin can connect Autotask in Settings and run a reflow.")
            return request.redirect(to: account.isAdmin ? "/settings" : "/calendar")
        }
        return request.redirect(to: "/workboard/\(first.resourceID)")
    }

    struct TechnicianOption: Encodable {
        var id: Int
        var name: String
        var selected: Bool
    }

    struct WorkboardContext: Encodable {
        var page: Chrome
        var technician: WorkboardView.Technician
        var canPick: Bool
        var technicians: [TechnicianOption]
        var lanes: LanesContext
        /// The technician's calendar feed (docs/booking.md, *Calendar feeds*).
        var feedURL: String
    }

    /// The Workboard in the address, with the snapshot it was made from, after the access check.
    func board(_ request: Request) async throws -> (WorkboardView, PlanSnapshot) {
        guard let id = request.parameters.get("technicianId", as: Int.self) else {
            throw Abort(.badRequest, reason: "the technician id in the address must be a number")
        }
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        // An id nobody has is "not found" for everyone; only a colleague's real one is "not yours".
        guard
            let board = WorkboardView.make(
                snapshot: snapshot, resourceID: id, pendingAcceptEnabled: snapshot.requireAcceptance)
        else {
            throw Abort(.notFound, reason: "no active technician has resource id \(id)")
        }
        _ = try request.requireTechnicianAccess(id)
        return (board, snapshot)
    }

    @Sendable func workboard(_ request: Request) async throws -> View {
        let (board, snapshot) = try await board(request)
        let account = try request.account()
        let chrome = try Chrome(request, title: "\(board.technician.name) — Workboard", nav: "workboard")
        return try await request.view.render(
            "workboard",
            WorkboardContext(
                page: chrome, technician: board.technician, canPick: account.canSeeEveryone,
                technicians: account.canSeeEveryone
                    ? snapshot.technicians.map {
                        TechnicianOption(
                            id: $0.resourceID, name: $0.name, selected: $0.resourceID == board.technician.id)
                    } : [],
                lanes: LanesContext(
                    board: board, csrf: chrome.csrf, appointmentTypes: try await Self.typeOptions(request)),
                feedURL: BookingAPIRoutes.origin(of: request)
                    + (try await CalendarFeed(database: request.db, box: runtime.box).path(of: board.technician.id))))
    }

    /// *New address* for the calendar feed: the old one stops working.
    @Sendable func renewFeed(_ request: Request) async throws -> Response {
        let (board, _) = try await board(request)
        _ = try await CalendarFeed(database: request.db, box: runtime.box).renew(board.technician.id)
        request.flash(ok: "The calendar feed has a new address; the old one no longer works.")
        return request.redirect(to: "/workboard/\(board.technician.id)#calendar-feed", redirectType: .normal)
    }

    /// The appointment types a booking link can be made for, from a Workboard card.
    static func typeOptions(_ request: Request) async throws -> [LanesContext.TypeOption] {
        try await AppointmentTypes.all(on: request.db).map {
            LanesContext.TypeOption(id: $0.id.uuidString.lowercased(), name: $0.definition.name)
        }
    }

    struct BookingLinkForm: Content {
        var ticketId: Int
        var appointmentTypeId: UUID
    }

    /// *Booking link…* on a Workboard card: a link for the card's ticket with this technician, shown in
    /// the page's message to copy and send to the customer.
    @Sendable func makeBookingLink(_ request: Request) async throws -> Response {
        let (board, _) = try await board(request)
        let account = try request.account()
        let back = "/workboard/\(board.technician.id)"
        do {
            let form = try request.decodeBody(BookingLinkForm.self)
            if !account.canSeeEveryone {
                let ticket = try await TicketRecord.query(on: request.db).filter(\.$ticketID == form.ticketId).first()
                guard ticket?.assignedResourceID == account.resourceID else {
                    throw Abort(.forbidden, reason: "technicians make booking links for their own tickets only")
                }
            }
            let service = Bookings(
                database: request.db, planCache: runtime.planCache, tokens: BookingToken(box: runtime.box),
                now: runtime.clock.now())
            let (link, token) = try await service.makeLink(
                ticketID: form.ticketId, typeID: form.appointmentTypeId, technicianID: board.technician.id, days: nil,
                by: account.username, origin: BookingAPIRoutes.origin(of: request))
            let ticket = try await TicketRecord.query(on: request.db).filter(\.$ticketID == link.ticketID).first()
            request.flash(
                ok: "Booking link for \(ticket?.number ?? String(link.ticketID)), valid until "
                    + "\(AutotaskDateText.day(link.expiresAt)) — send it to the customer: "
                    + "\(BookingAPIRoutes.origin(of: request))/book/\(token)")
        } catch let abort as AbortError {
            request.flash(error: abort.reason)
        }
        return request.redirect(to: back, redirectType: .normal)
    }

    struct LanesOnly: Encodable {
        var lanes: LanesContext
    }

    @Sendable func lanes(_ request: Request) async throws -> View {
        let (board, _) = try await board(request)
        return try await request.view.render(
            "lanes",
            LanesOnly(
                lanes: LanesContext(
                    board: board, csrf: CSRF.token(for: request), appointmentTypes: try await Self.typeOptions(request)
                )))
    }

    struct ActionForm: Content {
        var reason: String?
    }

    /// A Workboard action from a form (redirects back) or from the page's script (answers JSON).
    @Sendable func act(_ request: Request) async throws -> Response {
        guard let technician = request.parameters.get("technicianId", as: Int.self),
            let activityID = request.parameters.get("activityId"),
            let action = request.parameters.get("action").flatMap(ActivityAction.init(rawValue:))
        else {
            throw Abort(.badRequest, reason: "unknown action; use accept, decline, start, complete or cancel")
        }
        let wantsJSON = request.asksFor("application", "json")
        let form = (try? request.decodeBody(ActionForm.self)) ?? ActionForm()
        do {
            let result = try await ActivityWorkflow(database: request.db).perform(
                action, activityID: activityID, by: try request.account(), reason: form.reason, now: runtime.clock.now()
            )
            await runtime.changed()
            if wantsJSON { return try APIRoutes.json(APIRoutes.ActionResult(result, activityID: activityID)) }
            if let missing = result.missingStatus {
                request.flash(
                    error: "\(action.label): done, but the workflow's ticket status “\(missing)” is not in Autotask's "
                        + "picklist, so the ticket was left as it was. Fix it in Settings → Workflow.")
                return request.redirect(to: "/workboard/\(technician)", redirectType: .normal)
            }
            request.flash(
                ok: "\(action.label): done" + (result.queuedStatus.map { "; the ticket becomes \($0.label)" } ?? "")
                    + ".")
            if let undoID = result.undoID {
                request.flash(undo: "/workboard/\(technician)/activities/\(activityID)/undo", id: undoID)
            }
        } catch let abort as AbortError where !wantsJSON {
            request.flash(error: abort.reason)
        }
        return request.redirect(to: "/workboard/\(technician)", redirectType: .normal)
    }

    struct UndoForm: Content {
        var undoId: String?
    }

    /// The Undo offered after an action, for a few seconds (``ActivityWorkflow/undoWindow``).
    @Sendable func undo(_ request: Request) async throws -> Response {
        guard let technician = request.parameters.get("technicianId", as: Int.self),
            let activityID = request.parameters.get("activityId")
        else {
            throw Abort(.badRequest, reason: "the technician id in the address must be a number")
        }
        let wantsJSON = request.asksFor("application", "json")
        let form = (try? request.decodeBody(UndoForm.self)) ?? UndoForm()
        do {
            guard let undoID = form.undoId.flatMap(UUID.init(uuidString:)) else {
                throw Abort(.badRequest, reason: "undoId must be the undo id the action answered with")
            }
            let result = try await ActivityWorkflow(database: request.db).undo(
                undoID, activityID: activityID, by: try request.account(), now: runtime.clock.now())
            await runtime.changed()
            if wantsJSON { return try APIRoutes.json(APIRoutes.UndoAnswer(result, activityID: activityID)) }
            request.flash(ok: "Undone: \(activityID) is \(result.activity.displayState) again.")
        } catch let abort as AbortError where !wantsJSON {
            request.flash(error: abort.reason)
        }
        return request.redirect(to: "/workboard/\(technician)", redirectType: .normal)
    }

    struct AccountContext: Encodable {
        var page: Chrome
        var username: String
    }

    @Sendable func account(_ request: Request) async throws -> View {
        try await request.view.render(
            "account",
            AccountContext(
                page: try Chrome(request, title: "Your account", nav: "account"),
                username: try request.account().username))
    }

    struct PasswordForm: Content {
        var current: String
        var new: String
    }

    /// Everyone changes their own password here; the session stays signed in, the others sign out.
    @Sendable func changePassword(_ request: Request) async throws -> Response {
        let account = try request.account()
        do {
            let input = try request.decodeBody(PasswordForm.self)
            guard
                let userID = account.userID, let user = try await UserRecord.find(userID, on: request.db)
            else {
                throw Abort(.badRequest, reason: "this account has no password to change")
            }
            try await PasswordChange.apply(
                new: input.new, current: input.current, of: user, by: account, request: request)
            SessionValidity.stamp(request.session, for: user, now: runtime.clock.now())
            request.flash(ok: "Password changed; your other sessions are signed out.")
        } catch let abort as AbortError where abort.status != .tooManyRequests {
            request.flash(error: abort.reason)
        }
        return request.redirect(to: "/account", redirectType: .normal)
    }

    struct CalendarContext: Encodable {
        var page: Chrome
        var view: String
        var isWeek: Bool
        var date: String
        var previous: String
        var next: String
        var today: String
        var calendar: CalendarView
        var heading: String
    }

    @Sendable func calendar(_ request: Request) async throws -> View {
        let account = try request.account()
        // A technician's own calendar opens on their day; a dispatcher's on the week of everyone.
        let query = try CalendarQuery(
            request, defaultView: account.canSeeEveryone ? "week" : "day", now: runtime.clock.now(),
            blankDateIsToday: true)
        let only = account.canSeeEveryone ? query.technician : account.resourceID
        if !account.canSeeEveryone, only == nil {
            throw Abort(.forbidden, reason: "your account is not linked to a technician; ask an admin to link it")
        }
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        let start = query.start ?? CalendarView.today(in: snapshot, only: only)
        let view = CalendarView.make(snapshot: snapshot, start: start, days: query.days, only: only)
        let step = Int64(query.days)
        func link(_ date: LocalDate) -> String { "/calendar?view=\(query.view)&date=\(date)" }
        let end = start.adding(days: step - 1)
        return try await request.view.render(
            "calendar",
            CalendarContext(
                page: try Chrome(request, title: "Calendar", nav: "calendar"), view: query.view,
                isWeek: query.days == 7, date: start.description, previous: link(start.adding(days: -step)),
                next: link(start.adding(days: step)), today: "/calendar?view=\(query.view)", calendar: view,
                heading: query.days == 1 ? start.description : "\(start) – \(end)"))
    }
}

/// `view`/`days`, `date`/`start` and `technician` of a calendar request, checked.
struct CalendarQuery {
    var view: String
    var days: Int
    /// The first date shown; nil when not given (the caller starts at ``CalendarView/today(in:only:)``).
    var start: LocalDate?
    var technician: Int?

    /// `blankDateIsToday`: the page's date field sends `date=` when cleared, which means today; the
    /// API's documented `start` must be a date when it is given at all.
    init(_ request: Request, defaultView: String, now: Date, blankDateIsToday: Bool = false) throws {
        let viewName = (try? request.query.get(String.self, at: "view")) ?? defaultView
        if let days = try request.integerQuery("days") {
            guard (1...14).contains(days) else {
                throw Abort(.badRequest, reason: "days must be from 1 to 14, got \(days)")
            }
            self.days = days
            view = days == 1 ? "day" : "week"
        } else {
            guard viewName == "day" || viewName == "week" else {
                throw Abort(.badRequest, reason: "view must be day or week, got \(viewName)")
            }
            view = viewName
            days = viewName == "day" ? 1 : 7
        }
        let text =
            (try? request.query.get(String.self, at: "date")) ?? (try? request.query.get(String.self, at: "start"))
        let today = LocalDate(RFC3339.format(CalendarReflowJob.instant(now)).prefix(10).description)!
        if let text, !text.isEmpty || !blankDateIsToday {
            // Years the planner supports (1900–8999): year 0000 is a typo, not a calendar to show.
            guard let date = LocalDate(text), (1900...8999).contains(date.components.year) else {
                throw Abort(
                    .badRequest,
                    reason:
                        "start (or date) must be a date such as 2026-11-30, got \(text.isEmpty ? "nothing" : "“\(text.prefix(40))”")"
                )
            }
            start = date
        } else {
            // Liftoff plans forward: the default view starts today, so a Sunday shows the week ahead.
            start = today
        }
        technician = try request.integerQuery("technician") ?? request.integerQuery("technicianId")
    }
}

extension Request {
    /// The `technicianId` path parameter: a 400 naming it when it is not a whole number (a 404 is
    /// for a number that is no technician).
    func technicianIDParameter() throws -> Int {
        let text = parameters.get("technicianId") ?? ""
        guard let id = Int(text) else {
            throw Abort(.badRequest, reason: "technicianId must be a whole number, got “\(text.prefix(40))”")
        }
        return id
    }

    /// An optional whole-number query parameter; present but not a number is a 400 naming it.
    func integerQuery(_ name: String) throws -> Int? {
        guard let text = query[String.self, at: name], !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw Abort(.badRequest, reason: "\(name) must be a whole number, got “\(text)”")
        }
        return value
    }
}
