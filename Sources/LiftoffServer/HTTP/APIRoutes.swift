import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Vapor

/// The JSON API under `/api/v1`: everything the pages do, for integrations and scripts. Described
/// by the OpenAPI document at `/api/v1/openapi.json`; every route needs a session or an API token.
struct APIRoutes: RouteCollection, Sendable {
    let runtime: LiftoffRuntime

    func boot(routes: RoutesBuilder) throws {
        // Everyone signed in: their own Workboard and calendar (handlers narrow technicians to theirs).
        let api = routes.grouped("api", "v1").grouped(RequireAccount(answer: .unauthorized), CSRFCheck())
        api.get("openapi.json", use: openAPI)
        api.get("me", use: me)
        api.get("technicians", use: technicians)
        api.get("technicians", ":technicianId", "workboard", use: workboard)
        api.get("calendar", use: calendar)
        api.post("activities", ":activityId", "undo", use: undo)
        api.post("activities", ":activityId", ":action", use: act)
        api.get("events", use: events)
        api.post("activities", use: createActivity)
        api.get("activities", use: activities)
        api.on(.POST, "plan", body: .collect(maxSize: "64mb"), use: plan)
        // Dispatchers and admins: reflow, usage and the scheduling settings.
        let dispatchers = api.grouped(RequireRole(.dispatcher))
        dispatchers.post("reflow", use: reflow)
        dispatchers.get("reflow", "runs", use: runs)
        dispatchers.get("usage", use: usage)
        dispatchers.on(.PUT, "settings", "site", body: .collect(maxSize: "1mb"), use: putSiteSettings)
        dispatchers.get("settings", "site", use: getSiteSettings)
        dispatchers.on(
            .PUT, "settings", "technicians", ":technicianId", body: .collect(maxSize: "1mb"), use: putTechnicianSettings
        )
        dispatchers.get("settings", "workflow", use: getWorkflow)
        dispatchers.put("settings", "workflow", use: putWorkflow)
    }

    @Sendable func openAPI(_ request: Request) async throws -> Response {
        guard let path = Bundle.module.path(forResource: "openapi", ofType: "json"),
            let data = FileManager.default.contents(atPath: path)
        else { throw Abort(.internalServerError, reason: "the OpenAPI document is missing from the build") }
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
    }

    struct Me: Content {
        var username: String
        var displayName: String
        var role: String
        var technicianId: Int?
    }

    @Sendable func me(_ request: Request) async throws -> Me {
        let account = try request.account()
        return Me(
            username: account.username, displayName: account.displayName, role: account.role.rawValue,
            technicianId: account.resourceID)
    }

    struct TechnicianSummary: Content {
        var id: Int
        var name: String
        var timeZone: String
    }

    @Sendable func technicians(_ request: Request) async throws -> [TechnicianSummary] {
        let account = try request.account()
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        return snapshot.technicians.filter { account.mayActFor(technician: $0.resourceID) }.map {
            TechnicianSummary(id: $0.resourceID, name: $0.name, timeZone: $0.timeZone)
        }
    }

    @Sendable func workboard(_ request: Request) async throws -> Response {
        let id = try request.technicianIDParameter()
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        // An id nobody has is "not found" for everyone; only a colleague's real one is "not yours".
        guard snapshot.technicians.contains(where: { $0.resourceID == id }) else {
            throw Abort(.notFound, reason: "no active technician has resource id \(id)")
        }
        _ = try request.requireTechnicianAccess(id)
        let key = "workboard:\(id)"
        if let cached = await runtime.planCache.response(key, of: snapshot) { return Self.json(buffer: cached) }
        guard
            let board = WorkboardView.make(
                snapshot: snapshot, resourceID: id, pendingAcceptEnabled: snapshot.requireAcceptance)
        else { throw Abort(.notFound, reason: "no active technician has resource id \(id)") }
        let buffer = ByteBuffer(bytes: try Self.encoder.encode(board))
        await runtime.planCache.keep(buffer, as: key, of: snapshot)
        return Self.json(buffer: buffer)
    }

    @Sendable func calendar(_ request: Request) async throws -> Response {
        let account = try request.account()
        let query = try CalendarQuery(request, defaultView: "week", now: runtime.clock.now())
        var only = query.technician
        if !account.canSeeEveryone {
            guard let own = account.resourceID else {
                throw Abort(.forbidden, reason: "your account is not linked to a technician")
            }
            only = own
            if let asked = query.technician, asked != own {
                let known = try await runtime.planCache.current(on: request.application.db).technicians
                    .contains { $0.resourceID == asked }
                throw known
                    ? Abort(.forbidden, reason: "you may see your own calendar only")
                    : Abort(.notFound, reason: "no active technician has resource id \(asked)")
            }
        }
        let snapshot = try await runtime.planCache.current(on: request.application.db)
        let start = query.start ?? CalendarView.today(in: snapshot, only: only)
        let key = "calendar:\(start):\(query.days):\(only.map(String.init) ?? "all")"
        if let cached = await runtime.planCache.response(key, of: snapshot) { return Self.json(buffer: cached) }
        let buffer = ByteBuffer(
            bytes: try Self.encoder.encode(
                CalendarView.make(snapshot: snapshot, start: start, days: query.days, only: only)))
        await runtime.planCache.keep(buffer, as: key, of: snapshot)
        return Self.json(buffer: buffer)
    }

    struct ActionBody: Content {
        var reason: String?
    }

    /// What an action did; pages' scripts get the same answer.
    struct ActionResult: Content {
        var activityId: String
        var state: String
        var ticketStatus: String?
        /// Set when the workflow names a ticket status Autotask's picklist no longer has.
        var warning: String?
        /// Takes the action back until `undoUntil` (`POST /api/v1/activities/{activityId}/undo`).
        var undoId: String?
        var undoUntil: String?
        /// The same as a length, for a client whose clock differs from the server's.
        var undoSeconds: Int?

        init(_ result: ActivityWorkflow.Result, activityID: String) {
            activityId = activityID
            state = result.activity.displayState
            ticketStatus = result.queuedStatus?.label
            undoId = result.undoID?.uuidString
            undoUntil = result.undoUntil.map { RFC3339.format(CalendarReflowJob.instant($0)) }
            undoSeconds = result.undoID.map { _ in Int(ActivityWorkflow.undoWindow) }
            warning = result.missingStatus.map {
                "the workflow's ticket status “\($0)” is not in Autotask's picklist; the ticket was left as it was"
            }
        }
    }

    @Sendable func act(_ request: Request) async throws -> ActionResult {
        guard let activityID = request.parameters.get("activityId"),
            let action = request.parameters.get("action").flatMap(ActivityAction.init(rawValue:))
        else {
            throw Abort(.badRequest, reason: "unknown action; use accept, decline, start, complete or cancel")
        }
        // The body is optional (a reason for decline or cancel); one that is sent must be right.
        let body = (request.body.data?.readableBytes ?? 0) > 0 ? try request.decodeBody(ActionBody.self) : ActionBody()
        let result = try await ActivityWorkflow(database: request.db).perform(
            action, activityID: activityID, by: try request.account(), reason: body.reason, now: runtime.clock.now())
        await runtime.changed()
        return ActionResult(result, activityID: activityID)
    }

    struct UndoBody: Content {
        var undoId: String
    }

    /// What an Undo did: the activity's state again, and what became of the ticket status.
    struct UndoAnswer: Content {
        var activityId: String
        var state: String
        /// `untouched`, `withdrawn` (it never reached Autotask) or `restored` (the earlier status follows).
        var ticket: String

        init(_ result: ActivityWorkflow.UndoResult, activityID: String) {
            activityId = activityID
            state = result.activity.displayState
            ticket = result.ticket.rawValue
        }
    }

    @Sendable func undo(_ request: Request) async throws -> UndoAnswer {
        let activityID = try request.parameters.require("activityId")
        let body = try request.decodeBody(UndoBody.self)
        guard let undoID = UUID(uuidString: body.undoId) else {
            throw Abort(.badRequest, reason: "undoId must be the undoId an action answered with (a UUID)")
        }
        let result = try await ActivityWorkflow(database: request.db).undo(
            undoID, activityID: activityID, by: try request.account(), now: runtime.clock.now())
        await runtime.changed()
        return UndoAnswer(result, activityID: activityID)
    }

    /// Server-sent events: `plan` whenever the plan changes, so open Workboards refresh without
    /// reloading. The Store's plan version is pushed by PostgreSQL's NOTIFY, or read each second on
    /// SQLite (once per process, shared by every stream), so changes made through any instance arrive; a stream ends after ten minutes and the
    /// browser reconnects.
    @Sendable func events(_ request: Request) async throws -> Response {
        if let technician = try request.integerQuery("technicianId") {
            _ = try request.requireTechnicianAccess(technician)
        }
        let readings = await runtime.watcher.readings()
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "event-stream")
        headers.add(name: .cacheControl, value: "no-cache")
        headers.add(name: "X-Accel-Buffering", value: "no")
        let response = Response(status: .ok, headers: headers)
        response.body = .init(asyncStream: { writer in
            // Every way out ends the stream explicitly: Vapor requires .end or .error.
            do {
                try await Self.streamPlanEvents(to: writer, readings: readings)
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    static func streamPlanEvents(to writer: any AsyncBodyStreamWriter, readings: AsyncStream<String>) async throws {
        func send(_ text: String) async throws {
            try await writer.write(.buffer(ByteBuffer(string: text)))
        }
        var last: String?
        // Elapsed time on the monotonic clock: a stream lasts ten real minutes whatever `--now` says.
        let deadline = ContinuousClock.now.advanced(by: .seconds(600))
        var quiet = 0
        for await version in readings {
            if last == nil {
                try await send("retry: 2000\nevent: hello\ndata: {\"version\":\"\(version)\"}\n\n")
            } else if version != last {
                quiet = 0
                try await send("event: plan\ndata: {\"version\":\"\(version)\"}\n\n")
            } else {
                quiet += 1
                if quiet % 20 == 0 { try await send(": still here\n\n") }
            }
            last = version
            if ContinuousClock.now >= deadline { break }
        }
    }

    @Sendable func reflow(_ request: Request) async throws -> Response {
        guard let coordinator = await runtime.connection.coordinator else {
            throw Abort(
                .serviceUnavailable,
                reason: "Autotask is not configured: set LIFTOFF_AUTOTASK_* or save the connection in Settings")
        }
        let full: Bool
        switch request.query[String.self, at: "full"] {
        case nil, "", "false": full = false
        case "true": full = true
        case let other?: throw Abort(.badRequest, reason: "full must be true or false, got “\(other.prefix(40))”")
        }
        do {
            return try Self.json(try await coordinator.run(trigger: "api", fullImport: full))
        } catch let busy as ReflowBusy {
            throw Abort(.conflict, reason: busy.description)
        } catch let lost as ReflowLeaseLost {
            throw Abort(.conflict, reason: lost.description)
        } catch let autotask as AutotaskError {
            // Autotask refused or could not be reached: its answer, not a server error of Liftoff's.
            throw Abort(.badGateway, reason: "the reflow stopped: \(autotask.description)")
        } catch is CancellationError {
            throw Abort(.serviceUnavailable, reason: ReflowCoordinator.stoppedReason)
        }
    }

    struct UsageAnswer: Content {
        var connected: Bool
        var requestsThisHour: Int
        var threshold: Int
        var requestsByThisProcess: Int
        var retries: Int
    }

    @Sendable func usage(_ request: Request) async throws -> UsageAnswer {
        guard let usage = await runtime.connection.client?.usage() else {
            return UsageAnswer(
                connected: false, requestsThisHour: 0, threshold: 0, requestsByThisProcess: 0, retries: 0)
        }
        return UsageAnswer(
            connected: true, requestsThisHour: usage.requestsThisHour, threshold: usage.threshold,
            requestsByThisProcess: usage.requestsByThisClient, retries: usage.retries)
    }

    @Sendable func getWorkflow(_ request: Request) async throws -> WorkflowSettings {
        _ = try request.account()
        return try await WorkflowSettings.load(on: request.db)
    }

    @Sendable func putWorkflow(_ request: Request) async throws -> WorkflowSettings {
        let workflow = try request.decodeBody(WorkflowSettings.self)
        let known = Set(try await TicketStatusChoice.load(on: request.db).map { $0.label.lowercased() })
        for label in [
            workflow.statusOnAccept, workflow.statusOnDecline, workflow.statusOnStart, workflow.statusOnComplete,
            workflow.statusOnCancel,
        ].compactMap({ $0 }) where !known.contains(label.lowercased()) {
            throw Abort(.badRequest, reason: "“\(label)” is not a ticket status in Autotask")
        }
        try await workflow.save(on: request.db)
        try await PlanVersion.bump(on: request.db)
        await runtime.changed()
        return workflow
    }

    @Sendable func runs(_ request: Request) async throws -> Response {
        let runs = try await ReflowRunRecord.query(on: request.db).sort(\.$startedAt, .descending).limit(20).all()
        return try Self.json(runs.map(ReflowRunAnswer.init))
    }

    struct NewActivity: Content {
        var ticketId: Int
        var technicianId: Int
        var durationMinutes: Int
        var sleepUntil: Date?
    }

    @Sendable func createActivity(_ request: Request) async throws -> Response {
        let account = try request.account()
        let input = try request.decodeBody(NewActivity.self)
        guard account.mayActFor(technician: input.technicianId) else {
            throw Abort(.forbidden, reason: "you may add activities to your own Workboard only")
        }
        guard (1...1_000_000).contains(input.durationMinutes) else {
            throw Abort(.badRequest, reason: "durationMinutes must be from 1 to 1000000, got \(input.durationMinutes)")
        }
        guard let ticket = try await TicketRecord.query(on: request.db).filter(\.$ticketID == input.ticketId).first()
        else {
            throw Abort(
                .badRequest, reason: "ticket \(input.ticketId) is not imported yet; run a reflow or check the id")
        }
        guard account.canSeeEveryone || ticket.assignedResourceID == input.technicianId else {
            throw Abort(.forbidden, reason: "technicians add activities only for tickets assigned to them")
        }
        guard
            try await TechnicianRecord.query(on: request.db).filter(\.$resourceID == input.technicianId).first() != nil
        else {
            throw Abort(.badRequest, reason: "technician \(input.technicianId) is not a known Autotask resource")
        }
        let activity = NextActivityRecord()
        activity.activityID = "NA-\(input.ticketId)-\(input.technicianId)-\(UUID().uuidString.prefix(6).lowercased())"
        activity.resourceID = input.technicianId
        activity.ticketID = input.ticketId
        activity.durationMinutes = input.durationMinutes
        activity.sleepUntil = input.sleepUntil
        activity.state = "open"
        activity.origin = "api"
        activity.createdAt = runtime.clock.now()
        try await activity.save(on: request.db)
        try await PlanVersion.bump(on: request.db)
        await runtime.changed()
        let response = try Self.json(ActivityAnswer(activity))
        response.status = .created
        return response
    }

    @Sendable func activities(_ request: Request) async throws -> Response {
        let account = try request.account()
        var query = NextActivityRecord.query(on: request.db).sort(\.$createdAt)
        if !account.canSeeEveryone {
            query = query.filter(\.$resourceID == (account.resourceID ?? -1))
        } else if let technician = try request.integerQuery("technicianId") {
            query = query.filter(\.$resourceID == technician)
        }
        return try Self.json(try await query.all().map(ActivityAnswer.init))
    }

    /// Stores the site's settings, as plan-format.md's `settings` object, after checking them the way
    /// `liftoff plan` does.
    @Sendable func putSiteSettings(_ request: Request) async throws -> Response {
        let bytes = try await Self.body(request)
        let settings = try Self.parseJSON(bytes)
        try SchedulingSettingsForm.check(settings, site: true)
        try await SettingsStore.set(
            SettingsStore.siteKey, String(decoding: settings.serialized, as: UTF8.self), on: request.db)
        try await PlanVersion.bump(on: request.db)
        await runtime.changed()
        return Response(
            status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: Data(settings.serialized)))
    }

    /// Stores one technician's overrides of the site's settings (plan-format.md's technician
    /// `settings` object), checked the same way.
    @Sendable func putTechnicianSettings(_ request: Request) async throws -> Response {
        let id = try request.technicianIDParameter()
        guard try await TechnicianRecord.query(on: request.db).filter(\.$resourceID == id).first() != nil else {
            throw Abort(
                .notFound, reason: "no technician with that Autotask resource id; run a reflow to import technicians")
        }
        let bytes = try await Self.body(request)
        let settings = try Self.parseJSON(bytes)
        try SchedulingSettingsForm.check(settings, site: false, technicianID: String(id))
        try await SettingsStore.set(
            SettingsStore.technicianKey(id), String(decoding: settings.serialized, as: UTF8.self), on: request.db)
        try await PlanVersion.bump(on: request.db)
        await runtime.changed()
        return Response(
            status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: Data(settings.serialized)))
    }

    @Sendable func getSiteSettings(_ request: Request) async throws -> Response {
        let text = try await SettingsStore.get(SettingsStore.siteKey, on: request.db) ?? "{}"
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: text))
    }

    /// `POST /api/v1/plan`: the `liftoff plan` contract over HTTP (400 with the same messages).
    @Sendable func plan(_ request: Request) async throws -> Response {
        let bytes = try await Self.body(request)
        do {
            let problem = try PlanDocumentReader.problem(from: bytes)
            return Response(
                status: .ok, headers: ["Content-Type": "application/json"],
                body: .init(data: Data(PlanDocumentWriter.bytes(for: Planner.plan(problem)))))
        } catch {
            throw Abort(.badRequest, reason: error.description)
        }
    }

    /// A JSON body, or a 400 naming where it stops being JSON.
    static func parseJSON(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw Abort(.badRequest, reason: error.description)
        }
    }

    /// The whole request body: plan documents for a thousand technicians run to megabytes, past
    /// Vapor's default limit for collected bodies.
    static func body(_ request: Request) async throws -> [UInt8] {
        guard let buffer = try await request.body.collect(max: 64 * 1024 * 1024).get() else { return [] }
        return Array(buffer.readableBytesView)
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func json<Value: Encodable>(_ value: Value) throws -> Response {
        json(data: try encoder.encode(value))
    }

    static func json(data: Data) -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
    }

    /// A kept answer: the body shares the buffer instead of copying it.
    static func json(buffer: ByteBuffer) -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(buffer: buffer))
    }
}
