import Fluent
import Foundation
import LiftoffCore
import Vapor

/// The JSON API under `/api/v1` that sync and reflow need; the Workboard's pages build on it.
public struct APIRoutes: RouteCollection, Sendable {
    let coordinator: ReflowCoordinator?
    /// When set, every API call needs `Authorization: Bearer {token}` (accounts come with the Workboard).
    let apiToken: String?

    public init(coordinator: ReflowCoordinator?, apiToken: String?) {
        self.coordinator = coordinator
        self.apiToken = apiToken
    }

    public func boot(routes: RoutesBuilder) throws {
        routes.get("health") { _ in "ok" }
        let api = routes.grouped("api", "v1").grouped(TokenCheck(token: apiToken))
        api.post("reflow", use: reflow)
        api.get("reflow", "runs", use: runs)
        api.post("activities", use: createActivity)
        api.get("activities", use: activities)
        api.on(.PUT, "settings", "site", body: .collect(maxSize: "1mb"), use: putSiteSettings)
        api.get("settings", "site", use: getSiteSettings)
        api.on(
            .PUT, "settings", "technicians", ":technicianId", body: .collect(maxSize: "1mb"), use: putTechnicianSettings
        )
        api.on(.POST, "plan", body: .collect(maxSize: "64mb"), use: plan)
    }

    @Sendable func reflow(_ request: Request) async throws -> Response {
        guard let coordinator else {
            throw Abort(
                .serviceUnavailable, reason: "Autotask is not configured: set LIFTOFF_AUTOTASK_* (see the README)")
        }
        let full = (try? request.query.get(Bool.self, at: "full")) ?? false
        do {
            return try Self.json(try await coordinator.run(trigger: "api", fullImport: full))
        } catch let busy as ReflowBusy {
            throw Abort(.conflict, reason: busy.description)
        }
    }

    @Sendable func runs(_ request: Request) async throws -> Response {
        let runs = try await ReflowRunRecord.query(on: request.db).sort(\.$startedAt, .descending).limit(20).all()
        let rows: [[String: String]] = runs.map { run in
            [
                "id": run.id?.uuidString ?? "", "startedAt": AutotaskDateText.instant(run.startedAt),
                "finishedAt": run.finishedAt.map(AutotaskDateText.instant) ?? "", "trigger": run.trigger,
                "outcome": run.outcome, "created": String(run.created), "moved": String(run.moved),
                "removed": String(run.removed), "apiRequests": String(run.apiRequests), "changes": run.changes,
                "error": run.error ?? "",
            ]
        }
        return try Self.json(rows)
    }

    struct NewActivity: Content {
        var ticketId: Int
        var technicianId: Int
        var durationMinutes: Int
        var sleepUntil: Date?
    }

    @Sendable func createActivity(_ request: Request) async throws -> Response {
        let input: NewActivity
        do {
            input = try request.content.decode(NewActivity.self)
        } catch {
            throw Abort(
                .badRequest, reason: "expected {ticketId, technicianId, durationMinutes, sleepUntil?}: \(error)")
        }
        guard (1...1_000_000).contains(input.durationMinutes) else {
            throw Abort(.badRequest, reason: "durationMinutes must be from 1 to 1000000, got \(input.durationMinutes)")
        }
        guard try await TicketRecord.query(on: request.db).filter(\.$ticketID == input.ticketId).first() != nil else {
            throw Abort(
                .badRequest, reason: "ticket \(input.ticketId) is not imported yet; run a reflow or check the id")
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
        activity.createdAt = Date()
        try await activity.save(on: request.db)
        let response = try Self.json(Self.row(activity))
        response.status = .created
        return response
    }

    @Sendable func activities(_ request: Request) async throws -> Response {
        var query = NextActivityRecord.query(on: request.db).sort(\.$createdAt)
        if let technician = try? request.query.get(Int.self, at: "technicianId") {
            query = query.filter(\.$resourceID == technician)
        }
        return try Self.json(try await query.all().map(Self.row))
    }

    static func row(_ activity: NextActivityRecord) -> [String: String] {
        [
            "id": activity.activityID, "ticketId": String(activity.ticketID),
            "technicianId": String(activity.resourceID),
            "durationMinutes": String(activity.durationMinutes), "state": activity.state, "origin": activity.origin,
            "sleepUntil": activity.sleepUntil.map(AutotaskDateText.instant) ?? "",
            "startedAt": activity.startedAt.map(AutotaskDateText.instant) ?? "",
        ]
    }

    /// Stores the site's settings, as plan-format.md's `settings` object, after checking them the way
    /// `liftoff plan` does.
    @Sendable func putSiteSettings(_ request: Request) async throws -> Response {
        let bytes = try await Self.body(request)
        let settings: JSONValue
        do {
            settings = try JSONParser.parse(bytes)
            _ = try PlanDocumentReader.problem(from: [
                "now": "2026-01-01T00:00:00Z", "settings": settings, "technicians": [],
            ])
        } catch let error as PlanFormatError {
            throw Abort(.badRequest, reason: error.description)
        } catch {
            throw Abort(.badRequest, reason: "\(error)")
        }
        try await SettingsStore.set(
            SettingsStore.siteKey, String(decoding: settings.serialized, as: UTF8.self), on: request.db)
        return Response(
            status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: Data(settings.serialized)))
    }

    /// Stores one technician's overrides of the site's settings (plan-format.md's technician
    /// `settings` object), checked the same way.
    @Sendable func putTechnicianSettings(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("technicianId", as: Int.self),
            try await TechnicianRecord.query(on: request.db).filter(\.$resourceID == id).first() != nil
        else {
            throw Abort(
                .notFound, reason: "no technician with that Autotask resource id; run a reflow to import technicians")
        }
        let bytes = try await Self.body(request)
        let settings: JSONValue
        do {
            settings = try JSONParser.parse(bytes)
            let technician: JSONValue = [
                "id": .string(String(id)), "timeZone": "UTC", "workSchedule": [:], "settings": settings,
            ]
            _ = try PlanDocumentReader.problem(from: ["now": "2026-01-01T00:00:00Z", "technicians": [technician]])
        } catch let error as PlanFormatError {
            throw Abort(.badRequest, reason: error.description)
        } catch {
            throw Abort(.badRequest, reason: "\(error)")
        }
        try await SettingsStore.set(
            SettingsStore.technicianKey(id), String(decoding: settings.serialized, as: UTF8.self), on: request.db)
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

    /// The whole request body: plan documents for a thousand technicians run to megabytes, past
    /// Vapor's default limit for collected bodies.
    static func body(_ request: Request) async throws -> [UInt8] {
        guard let buffer = try await request.body.collect(max: 64 * 1024 * 1024).get() else { return [] }
        return Array(buffer.readableBytesView)
    }

    static func json<Value: Encodable>(_ value: Value) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return Response(
            status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try encoder.encode(value)))
    }
}

/// Requires the configured API token, when there is one.
struct TokenCheck: AsyncMiddleware {
    let token: String?

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let token, request.headers.bearerAuthorization?.token != token {
            throw Abort(.unauthorized, reason: "send Authorization: Bearer with the API token (LIFTOFF_API_TOKEN)")
        }
        return try await next.respond(to: request)
    }
}
