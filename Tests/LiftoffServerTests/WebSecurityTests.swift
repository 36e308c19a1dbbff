import AutotaskAPI
import AutotaskSandbox
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// The review's questions, answered by tests: every route is behind an account, sessions end when
/// they should, admins' work is admins' only, and racing actions never both win.
@Suite(.serialized) struct WebSecurityTests {
    /// Routes anyone may call; every other route must turn a stranger away.
    static let open: Set<String> = [
        "GET /health", "GET /login", "POST /login", "POST /logout", "GET /assets/:file",
        // The public booking page: the signed link is the key (BookingFlowTests).
        "GET /book/:token", "POST /book/:token", "GET /bookings/:token", "GET /bookings/:token/booking.ics",
        "GET /bookings/:token/reschedule", "POST /bookings/:token/reschedule", "POST /bookings/:token/cancel",
        // A technician's calendar feed: the signed address is the key (CalendarFeedTests).
        "GET /feeds/:file",
    ]

    @Test(arguments: TestDatabases.all)
    func everyRouteButTheOpenOnesTurnsStrangersAway(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            var checked = 0
            for route in harness.app.routes.all {
                let pattern = route.path.map { "\($0)" }.joined(separator: "/")
                if Self.open.contains("\(route.method.rawValue) /\(pattern)") { continue }
                let path =
                    "/"
                    + route.path.map { component -> String in
                        switch component {
                        case .constant(let text): return text
                        case .parameter(let name): return name == "technicianId" ? "29682885" : "x"
                        default: return "x"
                        }
                    }.joined(separator: "/")
                let response = try await web.send(route.method, path, headers: ["Accept": "text/html"])
                let refused =
                    response.status == .unauthorized
                    || (response.status == .seeOther
                        && response.headers.first(name: .location)?.hasPrefix("/login") == true)
                #expect(refused, "\(route.method.rawValue) \(path) answered \(response.status) to a stranger")
                checked += 1
            }
            #expect(checked > 40)
        }
    }

    /// What Chromium sends when it navigates: `*/*` must not read as "wants JSON".
    static let browserAccept =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

    @Test(arguments: TestDatabases.all)
    func browsersAreRedirectedAndFormsReturnToThePage(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let web = WebSession(app: harness.app)
            let stranger = try await web.send(.GET, "/calendar", headers: ["Accept": Self.browserAccept])
            #expect(stranger.status == .seeOther)
            #expect(stranger.headers.first(name: .location)?.hasPrefix("/login") == true)
            try await web.login("admin", ServerHarness.password)
            let activity = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$state == "open").first())
            let token = try await web.csrf(on: "/workboard/\(activity.resourceID)")
            let posted = try await web.send(
                .POST, "/workboard/\(activity.resourceID)/activities/\(activity.activityID)/start",
                headers: ["Accept": Self.browserAccept], form: ["_csrf": token])
            #expect(posted.status == .seeOther, "a form without JavaScript returns to the Workboard")
            #expect(posted.headers.first(name: .location) == "/workboard/\(activity.resourceID)")
            let scripted = try await web.send(
                .POST, "/workboard/\(activity.resourceID)/activities/\(activity.activityID)/complete",
                headers: ["Accept": "application/json", "X-CSRF-Token": token])
            #expect(scripted.status == .ok)
            #expect(scripted.body.string.contains(#""state":"completed""#))
        }
    }

    @Test(arguments: TestDatabases.all)
    func fiveWrongPasswordsMakeThatUserWait(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            for _ in 0..<5 {
                #expect(try await web.login("admin", "guess").status == .unauthorized)
            }
            let blocked = try await web.login("admin", ServerHarness.password)
            #expect(blocked.status == .tooManyRequests, "even the right password waits")
            #expect(blocked.body.string.contains("Too many failed logins"))
            #expect(Int(blocked.headers.first(name: .retryAfter) ?? "") ?? 0 > 800)
            try await harness.runtime?.addUser(
                username: "dana", displayName: "Dana", password: ServerHarness.password, role: .dispatcher,
                resourceID: nil)
            #expect(try await WebSession(app: harness.app).login("dana", ServerHarness.password).status == .seeOther)
        }
    }

    /// The limit lives in the Store: counted per user and address, forgotten after its window, cleared
    /// for the pair by a success and for the user everywhere by an admin's new password.
    @Test(arguments: TestDatabases.all)
    func theLoginLimitForgetsAfterItsWindowOnSuccessAndWhenLifted(_ kind: String) async throws {
        try await ServerHarness.run(kind) { harness in
            let db = harness.database
            let limit = LoginLimit(window: 60, perAccount: 2, perAddress: 3)
            let start = TestClock.start
            func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }
            try await limit.failed(username: "Ann", address: "10.0.0.1", now: start, on: db)
            #expect(try await limit.wait(username: "ann", address: "10.0.0.1", now: start, on: db) == nil)
            try await limit.failed(username: "ann ", address: "10.0.0.1", now: at(10), on: db)
            #expect(try await limit.wait(username: "ann", address: "10.0.0.1", now: at(20), on: db) == 40)
            #expect(
                try await limit.wait(username: "ann", address: "10.0.0.2", now: at(20), on: db) == nil,
                "another address is not locked")
            #expect(try await limit.wait(username: "ann", address: "10.0.0.1", now: at(61), on: db) == nil)
            // A success clears the pair: the next failure starts a fresh count.
            try await limit.failed(username: "ann", address: "10.0.0.1", now: at(62), on: db)
            try await limit.failed(username: "ann", address: "10.0.0.1", now: at(63), on: db)
            #expect(try await limit.wait(username: "ann", address: "10.0.0.1", now: at(64), on: db) != nil)
            try await limit.succeeded(username: "ANN", address: "10.0.0.1", on: db)
            #expect(try await limit.wait(username: "ann", address: "10.0.0.1", now: at(64), on: db) == nil)
            // Lifting (an admin's new password) clears the user from every address.
            for address in ["10.0.0.5", "10.0.0.6"] {
                try await limit.failed(username: "ann", address: address, now: at(70), on: db)
                try await limit.failed(username: "ann", address: address, now: at(71), on: db)
                #expect(try await limit.wait(username: "ann", address: address, now: at(72), on: db) != nil)
            }
            try await limit.lift(username: "Ann", on: db)
            for address in ["10.0.0.5", "10.0.0.6"] {
                #expect(try await limit.wait(username: "ann", address: address, now: at(72), on: db) == nil)
            }
            // Many names from one address: the address waits, for a name it never tried too.
            for name in ["bob", "cy", "di"] {
                try await limit.failed(username: name, address: "10.0.0.9", now: at(80), on: db)
            }
            #expect(try await limit.wait(username: "eve", address: "10.0.0.9", now: at(81), on: db) == 59)
            #expect(try await limit.wait(username: "eve", address: "10.0.0.8", now: at(81), on: db) == nil)
        }
    }

    @Test(arguments: [
        ("/calendar", "/calendar"), ("https://evil.example/", "/"), ("//evil.example/", "/"),
        ("/\t/evil.example", "/"), ("/\n/evil.example", "/"), ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"), ("/workboard/29682885?x=1", "/workboard/29682885?x=1"),
    ])
    func onlyPathsOnThisSiteAreFollowedAfterLogin(_ next: String, _ expected: String) {
        #expect(PublicRoutes.safeNext(next) == expected)
    }

    @Test(arguments: TestDatabases.all)
    func aSessionEndsWithItsPasswordOrAfterAWeek(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let planted = WebSession(app: harness.app)
            _ = try await planted.csrf(on: "/login")
            let plantedCookie = try #require(planted.cookie)
            let web = WebSession(app: harness.app)
            try await web.send(.GET, "/login", headers: ["Cookie": plantedCookie])
            // Log in with the planted cookie: the session gets a new id; the planted one stays anonymous.
            let token = try await web.csrf(on: "/login")
            let login = try await web.send(
                .POST, "/login", headers: ["Cookie": plantedCookie],
                form: ["_csrf": token, "username": "admin", "password": ServerHarness.password])
            #expect(login.status == .seeOther)
            #expect(try await planted.send(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await web.send(.GET, "/api/v1/me").status == .ok)

            let other = WebSession(app: harness.app)
            try await other.login("admin", ServerHarness.password)
            let csrf = try await web.csrf(on: "/account")
            let changed = try await web.send(
                .POST, "/account/password",
                form: ["_csrf": csrf, "current": ServerHarness.password, "new": "a new long password"])
            #expect(changed.status == .seeOther)
            #expect(try await web.send(.GET, "/api/v1/me").status == .ok, "the session that changed it stays")
            #expect(try await other.send(.GET, "/api/v1/me").status == .unauthorized, "other sessions end")

            let user = try #require(try await UserRecord.query(on: harness.database).first())
            let session = Session(data: SessionData())
            SessionValidity.stamp(session, for: user, now: harness.now)
            #expect(SessionValidity.isValid(session, for: user, now: harness.now.addingTimeInterval(6 * 86_400)))
            #expect(!SessionValidity.isValid(session, for: user, now: harness.now.addingTimeInterval(8 * 86_400)))
        }
    }

    @Test(arguments: TestDatabases.all)
    func adminsWorkIsForAdminsOnly(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let runtime = try #require(harness.runtime)
            try await runtime.addUser(
                username: "dana", displayName: "Dana", password: ServerHarness.password, role: .dispatcher,
                resourceID: nil)
            let web = WebSession(app: harness.app)
            try await web.login("dana", ServerHarness.password)
            let token = try await web.csrf(on: "/settings")
            let headers: HTTPHeaders = ["X-CSRF-Token": token, "Accept": "text/html"]
            for (method, path) in [
                (HTTPMethod.POST, "/settings/users"), (.POST, "/settings/connection"), (.POST, "/settings/tokens"),
                (.POST, "/settings/reflow-interval"), (.POST, "/settings/users/admin/remove"),
                (.GET, "/api/v1/users"), (.GET, "/api/v1/tokens"), (.GET, "/api/v1/settings/connection"),
                (.DELETE, "/api/v1/users/admin"), (.PUT, "/api/v1/users/admin/password"),
            ] {
                let response = try await web.send(method, path, headers: headers, form: ["_csrf": token])
                #expect(response.status == .forbidden, "\(method) \(path) answered \(response.status)")
            }
            #expect(try await UserRecord.query(on: harness.database).count() == 2)
            let page = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"])
            #expect(page.status == .ok)
            #expect(!page.body.string.contains("autotask-connection"), "dispatchers do not see the connection")
        }
    }

    @Test(arguments: TestDatabases.all)
    func removingAUserEndsTheirSessionsAndTokensButNeverTheLastAdmin(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let runtime = try #require(harness.runtime)
            try await runtime.addUser(
                username: "dana", displayName: "Dana", password: ServerHarness.password, role: .admin,
                resourceID: nil)
            let dana = WebSession(app: harness.app)
            try await dana.login("dana", ServerHarness.password)
            let danaUser = try #require(
                try await UserRecord.query(on: harness.database).filter(\.$username == "dana").first())
            let danaToken = try await Accounts.makeToken(
                named: "bridge", for: danaUser.requireID(), now: harness.clock.now, on: harness.database)
            let admin: HTTPHeaders = ["Authorization": "Bearer t0ken"]
            let web = WebSession(app: harness.app)
            #expect(try await web.send(.DELETE, "/api/v1/users/dana", headers: admin).status == .noContent)
            #expect(try await dana.send(.GET, "/api/v1/me").status == .unauthorized)
            #expect(
                try await web.send(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(danaToken)"]).status
                    == .unauthorized)
            let last = try await web.send(.DELETE, "/api/v1/users/admin", headers: admin)
            #expect(last.status == .badRequest)
            #expect(last.body.string.contains("last admin"))
        }
    }

    @Test(arguments: TestDatabases.all)
    func techniciansStayOnTheirOwnWorkboardEverywhere(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let runtime = try #require(harness.runtime)
            let technicians = try await runtime.technicians()
            let (own, other) = (technicians[0].id, technicians[1].id)
            try await runtime.addUser(
                username: "tech", displayName: "Tech", password: ServerHarness.password, role: .technician,
                resourceID: own)
            let web = WebSession(app: harness.app)
            try await web.login("tech", ServerHarness.password)
            let token = try await web.csrf(on: "/workboard/\(own)")
            #expect(try await web.send(.GET, "/workboard/\(other)/lanes").status == .forbidden)
            #expect(try await web.send(.GET, "/api/v1/events?technicianId=\(other)").status == .forbidden)
            #expect(try await web.send(.GET, "/metrics").status != .ok)
            let theirTicket = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$assignedResourceID == other).first())
            for body in [
                #"{"ticketId": \#(theirTicket.ticketID), "technicianId": \#(other), "durationMinutes": 30}"#,
                #"{"ticketId": \#(theirTicket.ticketID), "technicianId": \#(own), "durationMinutes": 30}"#,
            ] {
                let response = try await web.send(
                    .POST, "/api/v1/activities", headers: ["X-CSRF-Token": token], json: body)
                #expect(response.status == .forbidden, "\(body): \(response.status)")
            }
        }
    }

    @Test(arguments: TestDatabases.all)
    func ofTwoRacingActionsOneWinsAndTheTicketGetsOnlyTheLatestStatus(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let activity = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$state == "open").first())
            let workflow = ActivityWorkflow(database: harness.database)
            let dispatcher = Account(
                username: "dana", displayName: "Dana", role: .dispatcher, resourceID: nil, viaToken: true)
            _ = try await workflow.perform(
                .start, activityID: activity.activityID, by: dispatcher, reason: nil, now: harness.now)
            async let completed = Result(catching: {
                try await workflow.perform(
                    .complete, activityID: activity.activityID, by: dispatcher, reason: nil, now: harness.now)
            })
            async let cancelled = Result(catching: {
                try await workflow.perform(
                    .cancel, activityID: activity.activityID, by: dispatcher, reason: "duplicate", now: harness.now)
            })
            let outcomes = await [completed, cancelled]
            #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1, "exactly one of the two actions wins")
            let final = try #require(try await NextActivityRecord.find(activity.id, on: harness.database))
            #expect(final.state == "completed" || final.state == "cancelled")
            let updates = try await TicketUpdateRecord.query(on: harness.database).sort(\.$createdAt).all()
            if final.state == "completed" {
                // Start's In Progress was still waiting when Complete queued Complete: it is superseded.
                #expect(updates.map(\.state) == ["superseded", "pending"])
                #expect(updates.map(\.status) == [8, 5])
            } else {
                // Cancel sets no status by default: Start's change still waits.
                #expect(updates.map(\.state) == ["pending"])
            }
        }
    }

    @Test(arguments: TestDatabases.all)
    func turningPendingAcceptOffReleasesWaitingWork(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            try await WorkflowSettings(requireAcceptance: true).save(on: harness.database)
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let pending = try await NextActivityRecord.query(on: harness.database).filter(\.$state == "pending").all()
                .map(\.activityID)
            #expect(!pending.isEmpty)
            let web = WebSession(app: harness.app)
            let saved = try await web.send(
                .PUT, "/api/v1/settings/workflow", headers: ["Authorization": "Bearer t0ken"],
                json: #"{"requireAcceptance": false, "statusOnStart": "In Progress"}"#)
            #expect(saved.status == .ok)
            // Released: open again and planned, not declined or gone.
            let states = try await NextActivityRecord.query(on: harness.database).filter(\.$activityID ~~ pending).all()
                .map(\.state)
            #expect(states.count == pending.count && states.allSatisfy { $0 == "open" }, "\(states)")
        }
    }
}
