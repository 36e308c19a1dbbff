import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Vapor

/// The Settings page and its forms. Dispatchers change scheduling and workflow; admins also the
/// Autotask connection, the reflow schedule, users and API tokens.
struct SettingsPages: RouteCollection {
    let runtime: LiftoffRuntime

    func boot(routes: RoutesBuilder) throws {
        // Registered under the dispatchers' guard (PageRoutes); the admins' forms add their own.
        let settings = routes.grouped("settings")
        settings.get(use: page)
        settings.post("site", use: saveSite)
        settings.post("technician", use: saveTechnician)
        settings.post("workflow", use: saveWorkflow)
        settings.post("reflow-now", use: reflowNow)
        let admins = settings.grouped(RequireRole(.admin))
        admins.post("reflow-interval", use: saveInterval)
        admins.post("connection", use: saveConnection)
        admins.post("connection", "test", use: testConnection)
        admins.post("users", use: addUser)
        admins.post("users", ":username", "remove", use: removeUser)
        admins.post("users", ":username", "password", use: resetPassword)
        admins.post("tokens", use: addToken)
        admins.post("tokens", ":tokenId", "revoke", use: revokeToken)
    }

    struct Choice: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct ActionStatus: Encodable {
        var field: String
        var label: String
        var choices: [Choice]
    }

    struct RunView: Encodable {
        /// RFC 3339, for `<time datetime>` (the browser shows it in the viewer's own zone).
        var startedAt: String
        /// "12 minutes ago (Tue 8 Sep 13:48 UTC)": readable without a zone, exact with one.
        var when: String
        var trigger: String
        var outcome: String
        var summary: String
        var error: String?

        init(_ run: ReflowRunRecord, now: Date) {
            startedAt = AutotaskDateText.instant(run.startedAt)
            when = "\(ElapsedTime.ago(from: run.startedAt, to: now)) (\(ElapsedTime.utcDayAndClock(run.startedAt)))"
            trigger = Self.triggers[run.trigger] ?? run.trigger
            outcome = run.outcome
            summary = Self.summary(run)
            error = run.error
        }

        static let triggers = [
            "schedule": "started by the schedule", "api": "started through the API", "settings": "started on this page",
            "change": "started by a change", "command": "started by liftoff reflow", "demo": "started by the demo",
        ]

        /// What the run did to the calendar, in the words of someone who reads the calendar.
        static func summary(_ run: ReflowRunRecord) -> String {
            let changes = [
                (run.created, "new calendar entry", "new calendar entries"), (run.moved, "moved", "moved"),
                (run.removed, "removed", "removed"),
            ]
            let said = changes.filter { $0.0 > 0 }.map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }
            let calendar = said.isEmpty ? "the calendar was already right" : said.joined(separator: ", ")
            return "\(calendar); \(run.apiRequests) Autotask API request\(run.apiRequests == 1 ? "" : "s")"
        }
    }

    struct ConnectionView: Encodable {
        var source: String
        var fromConfiguration: Bool
        var integrationCode: String
        var userName: String
        var discoveryURL: String
        var hasSecret: Bool
        /// Why the saved connection could not be used, if it could not.
        var problem: String?
    }

    struct UsageView: Encodable {
        var used: Int
        var threshold: Int
        var percent: Int
    }

    struct UserView: Encodable {
        var username: String
        var displayName: String
        var role: String
        var resourceID: Int?
    }

    struct TokenView: Encodable {
        var id: String
        var name: String
        var owner: String
        var createdAt: String
        var lastUsedAt: String
    }

    struct Context: Encodable {
        var page: Chrome
        var site: SchedulingSettingsValues
        var alignments: [Choice]
        var blockOnFreeChecked: Bool
        var technicians: [Choice]
        var technicianID: String
        var technician: SchedulingSettingsValues
        var technicianBlockChoices: [Choice]
        var requireAcceptance: Bool
        var statuses: [ActionStatus]
        var intervalMinutes: Int
        var lastRun: RunView?
        var hasConnection: Bool
        var connection: ConnectionView
        var usage: UsageView?
        var users: [UserView]
        var roles: [Choice]
        var tokens: [TokenView]
        var newToken: String?
        var writing: WritingSection
        var activityRules: ActivityRulesForm
        /// Stored settings that cannot be read (``UnreadableSetting``), named at the top of the page.
        var unreadable: [String]
    }

    @Sendable func page(_ request: Request) async throws -> View {
        let account = try request.account()
        let database = request.db
        let siteText = try await SettingsStore.get(SettingsStore.siteKey, on: database)
        let site = SchedulingSettingsValues(json: siteText)
        let alignment = site.alignmentMinutes.isEmpty ? "5" : site.alignmentMinutes
        let technicians = try await TechnicianRecord.query(on: database).filter(\.$isActive == true).sort(\.$name).all()
        let chosen = (try? request.query.get(Int.self, at: "technician")) ?? technicians.first?.resourceID
        let technicianValues = SchedulingSettingsValues(
            json: try await chosen.asyncMap {
                try await SettingsStore.get(SettingsStore.technicianKey($0), on: database)
            } ?? nil)
        let workflow = try await WorkflowSettings.load(on: database)
        let statuses = try await TicketStatusChoice.load(on: database)
        func statusChoices(_ current: String?) -> [Choice] {
            [Choice(value: "", label: "Leave the status alone", selected: current == nil)]
                + statuses.map {
                    Choice(
                        value: $0.label, label: $0.label,
                        selected: current?.caseInsensitiveCompare($0.label) == .orderedSame)
                }
        }
        let lastRun = try await ReflowRunRecord.query(on: database).sort(\.$startedAt, .descending).first().map { run in
            RunView(run, now: runtime.clock.now())
        }
        let connection = runtime.connection
        let source = await connection.source
        let stored = try? await StoredConnection.load(on: database, box: runtime.box)
        let configured = connection.configured
        let usage = await connection.client?.usage()
        var newToken: String?
        if account.isAdmin {
            newToken = request.session.data["new-token"]
            request.session.data["new-token"] = nil
        }
        let users = account.isAdmin ? try await UserRecord.query(on: database).sort(\.$username).all() : []
        let names = Dictionary(
            users.compactMap { user in user.id.map { ($0, user.username) } }, uniquingKeysWith: { a, _ in a })
        let tokens = account.isAdmin ? try await APITokenRecord.query(on: database).sort(\.$createdAt).all() : []
        let context = Context(
            page: try Chrome(request, title: "Settings", nav: "settings"), site: site,
            alignments: Settings.allowedAlignments.map {
                Choice(value: String($0), label: "\($0) min", selected: String($0) == alignment)
            },
            blockOnFreeChecked: site.blockOnFreeExternalAppointments != "no",
            technicians: technicians.map {
                Choice(value: String($0.resourceID), label: $0.name, selected: $0.resourceID == chosen)
            },
            technicianID: chosen.map(String.init) ?? "", technician: technicianValues,
            technicianBlockChoices: [("inherit", "Same as the site"), ("yes", "Block"), ("no", "Do not block")].map {
                Choice(
                    value: $0.0, label: $0.1,
                    selected: ($0.0 == "inherit" && technicianValues.blockOnFreeExternalAppointments.isEmpty)
                        || $0.0 == technicianValues.blockOnFreeExternalAppointments)
            },
            requireAcceptance: workflow.requireAcceptance,
            statuses: [
                ActionStatus(field: "statusOnAccept", label: "Accept", choices: statusChoices(workflow.statusOnAccept)),
                ActionStatus(
                    field: "statusOnDecline", label: "Decline", choices: statusChoices(workflow.statusOnDecline)),
                ActionStatus(field: "statusOnStart", label: "Start", choices: statusChoices(workflow.statusOnStart)),
                ActionStatus(
                    field: "statusOnComplete", label: "Complete", choices: statusChoices(workflow.statusOnComplete)),
                ActionStatus(field: "statusOnCancel", label: "Cancel", choices: statusChoices(workflow.statusOnCancel)),
            ],
            intervalMinutes: await connection.intervalMinutes, lastRun: lastRun, hasConnection: source != .none,
            connection: ConnectionView(
                source: source.rawValue, fromConfiguration: configured != nil,
                integrationCode: configured?.integrationCode ?? stored?.integrationCode ?? "",
                userName: configured?.userName ?? stored?.userName ?? "",
                discoveryURL: configured?.discoveryURL.absoluteString ?? stored?.discoveryURL
                    ?? AutotaskConfiguration.autotaskDiscoveryURL.absoluteString,
                hasSecret: configured != nil || stored?.secret.isEmpty == false, problem: await connection.problem),
            usage: usage.map {
                UsageView(
                    used: $0.requestsThisHour, threshold: $0.threshold,
                    percent: $0.threshold > 0 ? min(100, $0.requestsThisHour * 100 / $0.threshold) : 0)
            },
            users: users.map {
                UserView(username: $0.username, displayName: $0.displayName, role: $0.role, resourceID: $0.resourceID)
            },
            roles: Role.allCases.map {
                Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == .technician)
            },
            tokens: tokens.map {
                TokenView(
                    id: $0.id?.uuidString ?? "", name: $0.name, owner: names[$0.userID] ?? "?",
                    createdAt: AutotaskDateText.instant($0.createdAt),
                    lastUsedAt: $0.lastUsedAt.map(AutotaskDateText.instant) ?? "never")
            }, newToken: newToken, writing: try await WritingSection.make(on: database),
            // The form shows the defaults when the stored rules cannot be read; the page says so above.
            activityRules: ActivityRulesForm((try? await ActivityRules.load(on: database)) ?? ActivityRules()),
            unreadable: try await UnreadableSetting.problems(on: database))
        return try await request.view.render("settings", context)
    }

    /// Runs `body`; a failure becomes the page's error message instead of an error page.
    private func form(_ request: Request, back: String = "/settings", _ body: () async throws -> String) async
        -> Response
    {
        do {
            request.flash(ok: try await body())
        } catch let abort as AbortError {
            request.flash(error: abort.reason)
        } catch {
            request.logger.report(error: error)
            request.flash(error: "That did not work because of an error on the server; the log has the details.")
        }
        return request.redirect(to: back, redirectType: .normal)
    }

    @Sendable func saveSite(_ request: Request) async throws -> Response {
        return await form(request) {
            let settings = try request.decodeBody(SchedulingSettingsForm.self).json(site: true)
            try await SettingsStore.set(
                SettingsStore.siteKey, String(decoding: settings.serialized, as: UTF8.self), on: request.db)
            try await PlanVersion.bump(on: request.db)
            await runtime.changed()
            return "Site settings saved; the plan and the calendar follow them now."
        }
    }

    @Sendable func saveTechnician(_ request: Request) async throws -> Response {
        let input = try request.decodeBody(SchedulingSettingsForm.self)
        let id = input.technician.flatMap { Int($0) }
        return await form(request, back: "/settings?technician=\(id.map(String.init) ?? "")#technician-settings") {
            guard let id, try await TechnicianRecord.query(on: request.db).filter(\.$resourceID == id).first() != nil
            else {
                throw Abort(.badRequest, reason: "choose a technician")
            }
            let settings = try input.json(site: false, technicianID: id)
            try await SettingsStore.set(
                SettingsStore.technicianKey(id), String(decoding: settings.serialized, as: UTF8.self), on: request.db)
            try await PlanVersion.bump(on: request.db)
            await runtime.changed()
            return "Settings for technician \(id) saved."
        }
    }

    struct WorkflowForm: Content {
        var requireAcceptance: String?
        var statusOnAccept: String?
        var statusOnDecline: String?
        var statusOnStart: String?
        var statusOnComplete: String?
        var statusOnCancel: String?
    }

    @Sendable func saveWorkflow(_ request: Request) async throws -> Response {
        return await form(request) {
            let input = try request.decodeBody(WorkflowForm.self)
            let known = Set(try await TicketStatusChoice.load(on: request.db).map { $0.label.lowercased() })
            func status(_ value: String?, _ action: String) throws -> String? {
                guard let value, !value.isEmpty else { return nil }
                guard known.contains(value.lowercased()) else {
                    throw Abort(.badRequest, reason: "\(action): “\(value)” is not a ticket status in Autotask")
                }
                return value
            }
            let workflow = WorkflowSettings(
                requireAcceptance: input.requireAcceptance == "on",
                statusOnAccept: try status(input.statusOnAccept, "Accept"),
                statusOnDecline: try status(input.statusOnDecline, "Decline"),
                statusOnStart: try status(input.statusOnStart, "Start"),
                statusOnComplete: try status(input.statusOnComplete, "Complete"),
                statusOnCancel: try status(input.statusOnCancel, "Cancel"))
            try await workflow.save(on: request.db)
            try await PlanVersion.bump(on: request.db)
            await runtime.changed()
            return "Workflow saved."
        }
    }

    @Sendable func reflowNow(_ request: Request) async throws -> Response {
        return await form(request) {
            guard let coordinator = await runtime.connection.coordinator else {
                throw Abort(
                    .serviceUnavailable, reason: "Autotask is not connected; an admin can set up the connection below")
            }
            do {
                let summary = try await coordinator.run(trigger: "settings")
                return
                    "Reflow \(summary.outcome): \(summary.created) created, \(summary.moved) moved, \(summary.removed) removed, \(summary.apiRequests) API requests."
            } catch let busy as ReflowBusy {
                throw Abort(.conflict, reason: busy.description)
            } catch let lost as ReflowLeaseLost {
                throw Abort(.conflict, reason: lost.description)
            } catch is CancellationError {
                throw Abort(.serviceUnavailable, reason: ReflowCoordinator.stoppedReason)
            }
        }
    }

    struct IntervalForm: Content {
        var minutes: Int?
    }

    @Sendable func saveInterval(_ request: Request) async throws -> Response {
        return await form(request) {
            guard let minutes = try request.decodeBody(IntervalForm.self).minutes else {
                throw Abort(.badRequest, reason: "give the minutes between reflows, 5 to 1440")
            }
            do {
                try await runtime.connection.setInterval(minutes)
            } catch let error as ConfigurationError {
                throw Abort(.badRequest, reason: error.description)
            }
            return "Calendar Reflow now runs every \(minutes) minutes."
        }
    }

    struct ConnectionForm: Content {
        var integrationCode: String
        var userName: String
        var secret: String?
        var discoveryURL: String
    }

    /// The form's connection; a blank secret keeps the stored one.
    private func connection(from request: Request) async throws -> StoredConnection {
        let input = try request.decodeBody(ConnectionForm.self)
        return try await StoredConnection.entered(
            integrationCode: input.integrationCode, userName: input.userName, secret: input.secret,
            discoveryURL: input.discoveryURL, on: request.db, box: runtime.box)
    }

    @Sendable func saveConnection(_ request: Request) async throws -> Response {
        return await form(request) {
            let connection = try await connection(from: request)
            try await runtime.connection.save(connection)
            return runtime.connection.configured == nil
                ? "Autotask connection saved (the secret is stored encrypted)."
                : "Saved; flags or LIFTOFF_AUTOTASK_* still win until they are removed."
        }
    }

    @Sendable func testConnection(_ request: Request) async throws -> Response {
        let input = try await connection(from: request)
        guard let configuration = input.configuration else { throw Abort(.badRequest) }
        let (ok, message) = await runtime.connection.test(configuration)
        if ok { request.flash(ok: message) } else { request.flash(error: message) }
        return request.redirect(to: "/settings#autotask-connection", redirectType: .normal)
    }

    struct UserForm: Content {
        var username: String
        var displayName: String?
        var password: String
        var role: String
        var resourceID: String?
    }

    @Sendable func addUser(_ request: Request) async throws -> Response {
        return await form(request, back: "/settings#users") {
            let input = try request.decodeBody(UserForm.self)
            guard let role = Role(rawValue: input.role) else {
                throw Abort(.badRequest, reason: "role must be admin, dispatcher or technician")
            }
            let user = try await Accounts.create(
                username: input.username, displayName: input.displayName ?? "", password: input.password, role: role,
                resourceID: input.resourceID.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                now: runtime.clock.now(), on: request.db)
            return "User \(user.username) added as \(role.rawValue)."
        }
    }

    @Sendable func removeUser(_ request: Request) async throws -> Response {
        let account = try request.account()
        return await form(request, back: "/settings#users") {
            let username = request.parameters.get("username") ?? ""
            try await Accounts.remove(username: username, by: account, on: request.db)
            return "User \(username) removed; their sessions and API tokens no longer work."
        }
    }

    struct ResetForm: Content {
        var password: String
    }

    /// An admin sets someone else's password (and lifts their login locks); their own they change
    /// on the account page, with the current one.
    @Sendable func resetPassword(_ request: Request) async throws -> Response {
        let account = try request.account()
        return await form(request, back: "/settings#users") {
            let username = request.parameters.get("username") ?? ""
            guard let user = try await UserRecord.query(on: request.db).filter(\.$username == username).first() else {
                throw Abort(.notFound, reason: "no user named \(username)")
            }
            guard user.id != account.userID else {
                throw Abort(
                    .badRequest,
                    reason: "change your own password on the Account page, where it asks for the current one")
            }
            try await PasswordChange.apply(
                new: try request.decodeBody(ResetForm.self).password, current: nil, of: user, by: account,
                request: request)
            return "Password of \(username) set; their other sessions are signed out and any login lock is lifted."
        }
    }

    struct TokenForm: Content {
        var name: String
    }

    @Sendable func addToken(_ request: Request) async throws -> Response {
        let account = try request.account()
        return await form(request, back: "/settings#api-tokens") {
            guard let userID = account.userID else {
                throw Abort(.badRequest, reason: "log in as a user to make tokens")
            }
            let name = try request.decodeBody(TokenForm.self).name
            request.session.data["new-token"] = try await Accounts.makeToken(
                named: name, for: userID, now: runtime.clock.now(), on: request.db)
            return "Token “\(name)” made. Copy it now: it is shown only once."
        }
    }

    @Sendable func revokeToken(_ request: Request) async throws -> Response {
        return await form(request, back: "/settings#api-tokens") {
            guard let id = request.parameters.get("tokenId", as: UUID.self),
                let token = try await APITokenRecord.find(id, on: request.db)
            else { throw Abort(.notFound, reason: "no such token") }
            try await token.delete(on: request.db)
            return "Token “\(token.name)” revoked."
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
