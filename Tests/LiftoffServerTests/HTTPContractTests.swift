import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// What a careless client or an attacker gets back (issue 11): 400s that name the field in plain
/// words, strict date-times, 413 for oversized forms, 405 for unrouted methods, security headers on
/// every answer, and role guards on every route.
@Suite(.serialized) struct HTTPContractTests {
    static let admin: HTTPHeaders = ["Authorization": "Bearer t0ken", "Content-Type": "application/json"]

    static func post(_ app: Application, _ path: String, _ body: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.POST, path, headers: admin, body: ByteBuffer(string: body))
    }

    /// Bodies `POST /api/v1/activities` must refuse, and what the answer must say.
    static let badActivities: [(String, String)] = [
        (#"{"ticketId": 1e30, "technicianId": 29682885, "durationMinutes": 30}"#, "ticketId must be a whole number"),
        (#"{"ticketId": 1.5, "technicianId": 29682885, "durationMinutes": 30}"#, "ticketId must be a whole number"),
        (
            #"{"ticketId": 9223372036854775808, "technicianId": 29682885, "durationMinutes": 30}"#,
            "ticketId must be a whole number"
        ),
        (#"{"ticketId": 2^63, "technicianId": 29682885, "durationMinutes": 30}"#, "not valid JSON"),
        (#"{"ticketId": "seven", "technicianId": 29682885, "durationMinutes": 30}"#, "ticketId must be a whole number"),
        (#"{"ticketId": 7, "technicianId": 29682885}"#, "durationMinutes is missing"),
        (#"{"ticketId": 7, "technicianId": null, "durationMinutes": 30}"#, "technicianId must be a whole number"),
        (#"[1, 2]"#, "the body must be an object"),
        (
            #"{"ticketId": 7, "technicianId": 29682885, "durationMinutes": 30, "sleepUntil": "2026-02-31T10:00:00Z"}"#,
            "sleepUntil must be a date-time"
        ),
        (
            #"{"ticketId": 7, "technicianId": 29682885, "durationMinutes": 30, "sleepUntil": "2026-09-08T25:00:00Z"}"#,
            "sleepUntil must be a date-time"
        ),
        (
            #"{"ticketId": 7, "technicianId": 29682885, "durationMinutes": 30, "sleepUntil": "0000-01-01T00:00:00Z"}"#,
            "sleepUntil must be a date-time"
        ),
        (
            #"{"ticketId": 7, "technicianId": 29682885, "durationMinutes": 30, "sleepUntil": "99999-01-01T00:00:00Z"}"#,
            "sleepUntil must be a date-time"
        ),
        (
            #"{"ticketId": 7, "technicianId": 29682885, "durationMinutes": 30, "sleepUntil": "2026-09-08T10:00:00"}"#,
            "sleepUntil must be a date-time"
        ),
    ]

    @Test(arguments: TestDatabases.all)
    func badBodiesGetA400ThatNamesTheFieldInPlainWords(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            for (body, expected) in Self.badActivities {
                let answer = try await Self.post(harness.app, "/api/v1/activities", body)
                let reason = (try answer.json() as? [String: Any])?["reason"] as? String ?? ""
                #expect(answer.status == .badRequest, "\(body)")
                #expect(reason.contains(expected), "\(body) → \(reason)")
                for debugText in ["DecodingError", "Debug description", "CodingKeys", "Swift.", "Int64", "Optional"] {
                    #expect(!reason.contains(debugText), "\(body) → \(reason)")
                }
            }
            #expect(try await NextActivityRecord.query(on: harness.database).filter(\.$origin == "api").count() == 0)
        }
    }

    @Test(arguments: TestDatabases.all)
    func aRealDateIsStillAccepted(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let ticket = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$assignedResourceID != nil).first())
            let body =
                #"{"ticketId": \#(ticket.ticketID), "technicianId": \#(ticket.assignedResourceID!), "durationMinutes": 30, "sleepUntil": "2026-09-08T10:00:00+05:30"}"#
            let answer = try await Self.post(harness.app, "/api/v1/activities", body)
            #expect(answer.status == .created, "\(answer.body.string)")
            #expect(answer.body.string.contains("2026-09-08T04:30:00Z"))
        }
    }

    @Test(arguments: TestDatabases.all)
    func anOversizedFormIsA413NotACSRFFailure(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let browser = WebSession(app: harness.app)
            try await browser.login("admin", ServerHarness.password)
            let token = try await browser.csrf(on: "/settings")
            let web = WebSession(
                app: harness.app, method: .running(hostname: "127.0.0.1", port: 0), cookie: browser.cookie)
            let answer = try await web.send(
                .POST, "/settings/site", headers: ["Accept": "application/json"],
                form: ["_csrf": token, "alignmentMinutes": String(repeating: "5", count: 5_000_000)])
            #expect(answer.status == .payloadTooLarge)
            #expect(answer.body.string.contains("too large"))
        }
    }

    @Test(arguments: TestDatabases.all)
    func aTechniciansFormErrorNamesThatTechnician(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let token = try await web.csrf(on: "/settings")
            _ = try await web.send(
                .POST, "/settings/technician", headers: ["Accept": "text/html"],
                form: ["_csrf": token, "technician": "29682886", "maxBlockMinutes": "-5"])
            let page = try await web.send(.GET, "/settings?technician=29682886", headers: ["Accept": "text/html"])
            #expect(page.body.string.contains("technician 29682886"))
            #expect(!page.body.string.contains("technician 1:"))
        }
    }

    @Test(arguments: TestDatabases.all)
    func everyAnswerCarriesTheSecurityHeaders(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let tester = try harness.app.testing()
            for (path, headers) in [
                ("/health", HTTPHeaders()), ("/login", ["Accept": "text/html"]), ("/api/v1/me", Self.admin),
                ("/api/v1/no-such-thing", Self.admin), ("/calendar", ["Accept": "text/html"]),
            ] {
                let answer = try await tester.sendRequest(.GET, path, headers: headers)
                #expect(answer.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                #expect(answer.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                #expect(
                    answer.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true,
                    "\(path)")
            }
        }
    }

    @Test(arguments: [
        (HTTPMethod.TRACE, "/", "GET, HEAD"), (.DELETE, "/api/v1/me", "GET, HEAD"),
        (.PATCH, "/api/v1/settings/site", "GET, HEAD, PUT"), (.TRACE, "/api/v1/technicians/7/workboard", "GET, HEAD"),
    ])
    func aPathServedForOtherMethodsAnswers405WithAllow(_ method: HTTPMethod, _ path: String, _ allow: String)
        async throws
    {
        try await ServerHarness.run("sqlite", web: true) { harness in
            let answer = try await harness.app.testing().sendRequest(method, path, headers: Self.admin)
            #expect(answer.status == .methodNotAllowed)
            #expect(answer.headers.first(name: "Allow") == allow)
            let missing = try await harness.app.testing().sendRequest(method, "/no/such/path", headers: Self.admin)
            #expect(missing.status == .notFound)
        }
    }

    @Test(arguments: ["", "2026-02-31", "tomorrow", "2026-9-8", "0000-01-01"])
    func aCalendarStartThatIsNotADateIsA400(_ start: String) async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            let answer = try await harness.app.testing().sendRequest(
                .GET, "/api/v1/calendar?start=\(start)", headers: Self.admin)
            #expect(answer.status == .badRequest)
            #expect(answer.body.string.contains("start"))
        }
    }

    /// Routes a technician may call; every other route must answer a technician 403, so a new route
    /// registered outside the role groups fails here.
    static let technicianRoutes: Set<String> = [
        "GET /", "GET /workboard", "GET /workboard/:technicianId", "GET /workboard/:technicianId/lanes",
        "POST /workboard/:technicianId/activities/:activityId/:action",
        "POST /workboard/:technicianId/activities/:activityId/undo", "POST /workboard/:technicianId/booking-links",
        "POST /workboard/:technicianId/feed/renew", "GET /api/v1/technicians/:technicianId/feed",
        "POST /api/v1/technicians/:technicianId/feed/renew",
        "GET /calendar", "GET /account",
        "POST /account/password", "GET /api/v1/openapi.json", "GET /api/v1/me", "GET /api/v1/technicians",
        "GET /api/v1/technicians/:technicianId/workboard", "GET /api/v1/calendar",
        "POST /api/v1/activities/:activityId/:action", "POST /api/v1/activities/:activityId/undo",
        "GET /api/v1/events", "POST /api/v1/activities",
        "GET /api/v1/activities", "POST /api/v1/plan", "PUT /api/v1/users/:username/password",
        "GET /api/v1/appointment-types", "GET /api/v1/appointment-types/:appointmentTypeId",
        "GET /api/v1/availability", "POST /api/v1/booking-links", "GET /api/v1/booking-links",
        "DELETE /api/v1/booking-links/:bookingLinkId", "GET /api/v1/bookings",
    ]

    /// Routes for admins alone; dispatchers get 403.
    static let adminRoutes: Set<String> = [
        "POST /settings/reflow-interval", "POST /settings/connection", "POST /settings/connection/test",
        "POST /settings/users", "POST /settings/users/:username/remove", "POST /settings/users/:username/password",
        "POST /settings/tokens", "POST /settings/tokens/:tokenId/revoke", "GET /api/v1/users", "POST /api/v1/users",
        "DELETE /api/v1/users/:username", "GET /api/v1/tokens", "POST /api/v1/tokens",
        "DELETE /api/v1/tokens/:tokenId", "GET /api/v1/settings/connection", "PUT /api/v1/settings/connection",
        "POST /api/v1/settings/connection/test", "PUT /api/v1/settings/reflow", "PUT /api/v1/settings/writing",
        "POST /settings/writing",
    ]

    @Test(arguments: [Role.technician, .dispatcher])
    func everyRouteAboveARoleTurnsItAway(_ role: Role) async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            try await #require(harness.runtime).addUser(
                username: "someone", displayName: "Someone", password: ServerHarness.password, role: role,
                resourceID: role == .technician ? 29_682_885 : nil)
            let web = WebSession(app: harness.app)
            try await web.login("someone", ServerHarness.password)
            let token = try await web.csrf(on: "/account")
            var checked = 0
            for route in harness.app.routes.all {
                let pattern = "/" + route.path.map { "\($0)" }.joined(separator: "/")
                let name = "\(route.method.rawValue) \(pattern)"
                if WebSecurityTests.open.contains(name) || Self.technicianRoutes.contains(name) { continue }
                if role == .dispatcher && !Self.adminRoutes.contains(name) { continue }
                let path =
                    "/"
                    + route.path.map { component -> String in
                        if case .constant(let text) = component { return text }
                        return component.description == ":technicianId" ? "29682885" : "x"
                    }.joined(separator: "/")
                let answer = try await web.send(
                    route.method, path, headers: ["Accept": "application/json", "X-CSRF-Token": token], json: "{}")
                #expect(answer.status == .forbidden, "\(name) answered \(answer.status) to a \(role)")
                checked += 1
            }
            #expect(checked > (role == .technician ? 30 : 15))
        }
    }

    @Test(arguments: [
        ("/api/v1/technicians/abc/workboard", HTTPMethod.GET), ("/api/v1/settings/technicians/abc", .GET),
        ("/api/v1/settings/technicians/abc", .PUT), ("/api/v1/settings/technicians/abc/zone", .PUT),
    ])
    func aTechnicianIdThatIsNotANumberIsA400(_ path: String, _ method: HTTPMethod) async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            let answer = try await harness.app.testing().sendRequest(
                method, path, headers: Self.admin, body: ByteBuffer(string: "{}"))
            #expect(answer.status == .badRequest)
            #expect(answer.body.string.contains("technicianId must be a whole number"))
        }
    }

    /// Two requests racing to change the Store on SQLite (one writer at a time): both succeed, the
    /// loser's transaction starting over rather than answering 500.
    @Test func concurrentWritesToASQLiteStoreAllSucceed() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("liftoff-busy-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        try await ServerHarness.run("sqlite", sqliteFile: file, web: true) { harness in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        let body = #"{"requireAcceptance": \#(index % 2 == 0)}"#
                        return try await harness.app.testing().sendRequest(
                            .PUT, "/api/v1/settings/workflow", headers: Self.admin, body: ByteBuffer(string: body)
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses.map(\.code))")
        }
    }

    @Test(arguments: TestDatabases.all)
    func aFailedConnectionTestSaysTheSameWhateverIsListening(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            var messages: [String] = []
            for url in ["http://127.0.0.1:1/", "http://127.0.0.1:\(harness.port)/not-autotask/"] {
                let body =
                    #"{"integrationCode": "X", "userName": "u@example.com", "secret": "s", "discoveryURL": "\#(url)"}"#
                let answer = try await Self.post(harness.app, "/api/v1/settings/connection/test", body)
                #expect(answer.status == .ok)
                let object = try answer.json() as? [String: Any]
                #expect(object?["ok"] as? Bool == false)
                messages.append(object?["message"] as? String ?? "")
            }
            #expect(messages[0] == messages[1], "a closed port and an open one read the same")
            #expect(!messages[0].contains("refused") && !messages[0].contains(":1"))
        }
    }
}
