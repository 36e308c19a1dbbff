import Fluent
import Foundation
import LiftoffCore
import Vapor

/// The API of first contact: the writing switch and its preview, what Liftoff understood from
/// Autotask, and the hand-set zone and hours of a technician who needs attention.
struct SetupAPIRoutes: RouteCollection {
    let runtime: LiftoffRuntime

    func boot(routes: RoutesBuilder) throws {
        // Dispatchers and admins; switching writing on or off is for admins.
        let api = routes.grouped("api", "v1").grouped(
            RequireAccount(answer: .unauthorized), CSRFCheck(), RequireRole(.dispatcher))
        api.get("settings", "writing", use: writing)
        api.grouped(RequireRole(.admin)).put("settings", "writing", use: setWriting)
        api.get("connection", "report", use: report)
        api.put("settings", "technicians", ":technicianId", "zone", use: setZone)
        api.get("settings", "activity-rules", use: activityRules)
        api.put("settings", "activity-rules", use: setActivityRules)
    }

    @Sendable func activityRules(_ request: Request) async throws -> Response {
        return try Self.json(try await ActivityRules.load(on: request.db))
    }

    /// The whole rules object; a member left out keeps its default (not the stored value), so what
    /// is sent is what applies.
    @Sendable func setActivityRules(_ request: Request) async throws -> Response {
        let body = request.body.data.map { Array($0.readableBytesView) } ?? []
        let rules: ActivityRules
        do {
            rules = try ActivityRules(json: try JSONParser.parse(body))
        } catch let invalid as ActivityRules.Invalid {
            throw Abort(.badRequest, reason: invalid.description)
        } catch {
            throw Abort(.badRequest, reason: "the body is \(error)")
        }
        try await rules.save(on: request.db)
        await runtime.changed()
        return try Self.json(rules)
    }

    static func json(_ rules: ActivityRules) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Response(
            status: .ok, headers: ["Content-Type": "application/json"],
            body: .init(data: try encoder.encode(rules)))
    }

    struct Writing: Content {
        var writing: String
        var preview: PreviewView?
    }

    @Sendable func writing(_ request: Request) async throws -> Writing {
        let database = request.db
        return Writing(
            writing: try await WritingSwitch.mode(on: database).rawValue,
            preview: try await PreviewView.load(on: database))
    }

    struct WritingInput: Decodable {
        var writing: String
    }

    @Sendable func setWriting(_ request: Request) async throws -> Writing {
        let account = try request.account()
        let input: WritingInput
        do {
            input = try request.decodeBody(WritingInput.self)
        } catch {
            throw Abort(.badRequest, reason: "expected {\"writing\": \"on\" or \"off\"}")
        }
        let mode: WritingMode
        do {
            mode = try WritingMode(parsing: input.writing, source: "writing")
        } catch {
            throw Abort(.badRequest, reason: error.description)
        }
        try await WritingSwitch.set(mode, by: account.username, at: runtime.clock.now(), on: request.db)
        // Writing on: what the preview showed goes out with the next run, which starts shortly.
        await runtime.changed()
        return try await writing(request)
    }

    @Sendable func report(_ request: Request) async throws -> ConnectionReport {
        return try await ConnectionReport.make(on: request.db, now: runtime.clock.now())
    }

    @Sendable func setZone(_ request: Request) async throws -> ConnectionReport.Technician {
        let account = try request.account()
        let id = try request.technicianIDParameter()
        let edit = try Self.edit(from: request.body.data.map { Array($0.readableBytesView) } ?? [])
        do {
            _ = try await edit.apply(to: id, by: account.username, at: runtime.clock.now(), on: request.db)
        } catch let invalid as TechnicianZoneEdit.Invalid {
            throw Abort(.notFound, reason: invalid.description)
        }
        await runtime.changed()
        let report = try await ConnectionReport.make(on: request.db, now: runtime.clock.now())
        guard let row = report.technicians.first(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "technician \(id) is not active")
        }
        return row
    }

    /// `{"timeZone": "America/New_York" | null, "weeklyHours": {...} | null}`: a member left out is
    /// left alone, `null` goes back to what Autotask gives.
    static func edit(from body: [UInt8]) throws -> TechnicianZoneEdit {
        guard case .object(let object)? = try? JSONParser.parse(body) else {
            throw Abort(
                .badRequest,
                reason:
                    "expected a JSON object {\"timeZone\": \"America/New_York\" or null, \"weeklyHours\": {\"mon\": [[\"08:00\", \"17:00\"]], …} or null}"
            )
        }
        for key in object.keys where key != "timeZone" && key != "weeklyHours" {
            throw Abort(.badRequest, reason: "\(key) is not a field here: use timeZone and weeklyHours")
        }
        var edit = TechnicianZoneEdit()
        do {
            switch object["timeZone"] {
            case nil: break
            case .null?: edit.timeZone = .clear
            case .string(let text)?: edit.timeZone = .set(try TechnicianZoneEdit.zone(from: text, field: "timeZone"))
            default: throw Abort(.badRequest, reason: "timeZone must be a string or null")
            }
            switch object["weeklyHours"] {
            case nil: break
            case .null?: edit.weeklyHours = .clear
            case let value?: edit.weeklyHours = .set(try WeeklyHours(json: value, field: "weeklyHours"))
            }
        } catch let invalid as TechnicianZoneEdit.Invalid {
            throw Abort(.badRequest, reason: invalid.description)
        } catch let invalid as WeeklyHours.Invalid {
            throw Abort(.badRequest, reason: invalid.description)
        }
        guard edit.timeZone != nil || edit.weeklyHours != nil else {
            throw Abort(.badRequest, reason: "give timeZone, weeklyHours or both")
        }
        return edit
    }
}

/// The preview as the page and the API show it: each change in words, in its technician's zone.
struct PreviewView: Content {
    struct Change: Content {
        var kind: String
        var technicianId: Int
        var technicianName: String
        var timeZone: String
        var needsAttention: Bool
        var activityId: String
        var ticketId: Int?
        var ticketNumber: String?
        var part: Int
        var parts: Int?
        var fromStart: Date?
        var fromEnd: Date?
        var start: Date?
        var end: Date?
        /// "move T20260901.0004: Tue 8 Sep 09:00–10:30 → Tue 8 Sep 11:00–12:30", local times.
        var text: String
    }

    struct Group: Content {
        var technicianId: Int
        var technicianName: String
        var timeZone: String
        var needsAttention: String?
        var creates: Int
        var moves: Int
        var removes: Int
        var lines: [String]
    }

    var madeAt: Date
    /// `preview`, `dry-run` or `held`.
    var mode: String
    var creates: Int
    var moves: Int
    var removes: Int
    var changes: [Change]
    /// The same changes by technician, for the page.
    var byTechnician: [Group]

    static func load(on database: Database) async throws -> PreviewView? {
        guard let preview = try await ReflowPreview.load(on: database) else { return nil }
        let technicians = Dictionary(
            try await TechnicianRecord.query(on: database).all().map { ($0.resourceID, $0) }
        ) { first, _ in first }
        let ticketIDs = Set(preview.changes.compactMap(\.ticketID))
        let tickets = Dictionary(
            try await TicketRecord.query(on: database).filter(\.$ticketID ~~ Array(ticketIDs)).all().map {
                ($0.ticketID, $0)
            }
        ) { first, _ in first }
        let changes = preview.changes.map { change -> Change in
            let technician = technicians[change.technicianID]
            let zone = technician?.timeZone ?? "UTC"
            let number = change.ticketID.flatMap { tickets[$0]?.number }
            let ticket = [number, change.ticketID.flatMap { tickets[$0]?.title }].compactMap { $0 }.joined(
                separator: " ")
            return Change(
                kind: change.kind, technicianId: change.technicianID,
                technicianName: technician?.name ?? "technician \(change.technicianID)", timeZone: zone,
                needsAttention: technician?.attention != nil, activityId: change.activityID,
                ticketId: change.ticketID, ticketNumber: number, part: change.part, parts: change.parts,
                fromStart: change.fromStart, fromEnd: change.fromEnd, start: change.start, end: change.end,
                text: PreviewLine(timeZone: TimeZone(identifier: zone) ?? .gmt).describe(
                    change, ticket: ticket.isEmpty ? change.activityID : ticket))
        }
        // In the order of the technician's day, as they would read their calendar.
        let ordered = changes.sorted {
            ($0.technicianId, $0.start ?? $0.fromStart ?? .distantPast)
                < ($1.technicianId, $1.start ?? $1.fromStart ?? .distantPast)
        }
        let groups = Dictionary(grouping: ordered, by: \.technicianId).map { id, list in
            Group(
                technicianId: id, technicianName: list[0].technicianName, timeZone: list[0].timeZone,
                needsAttention: technicians[id]?.attention,
                creates: list.filter { $0.kind == "create" }.count,
                moves: list.filter { $0.kind == "move" || $0.kind == "finish" }.count,
                removes: list.filter { $0.kind == "remove" }.count, lines: list.map(\.text))
        }.sorted { ($0.technicianName, $0.technicianId) < ($1.technicianName, $1.technicianId) }
        return PreviewView(
            madeAt: preview.madeAt, mode: preview.mode, creates: changes.filter { $0.kind == "create" }.count,
            moves: changes.filter { $0.kind == "move" || $0.kind == "finish" }.count,
            removes: changes.filter { $0.kind == "remove" }.count, changes: ordered, byTechnician: groups)
    }
}
