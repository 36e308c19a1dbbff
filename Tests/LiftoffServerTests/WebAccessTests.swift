import AutotaskAPI
import AutotaskSandbox
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// Accounts, sessions, CSRF and roles: who may see and do what, through pages and the API.
@Suite(.serialized) struct WebAccessTests {
    let admin: HTTPHeaders = ["Authorization": "Bearer t0ken"]

    @Test(arguments: TestDatabases.all)
    func everythingButHealthAndLoginNeedsAnAccount(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            #expect(try await web.send(.GET, "/health").status == .ok)
            #expect(try await web.send(.GET, "/health", headers: ["Authorization": "Bearer wrong"]).status == .ok)
            #expect(try await web.send(.GET, "/login").status == .ok)
            for page in ["/workboard", "/calendar", "/settings", "/workboard/29682885"] {
                let response = try await web.send(.GET, page, headers: ["Accept": "text/html"])
                #expect(response.status == .seeOther, "\(page)")
                #expect(response.headers.first(name: .location)?.hasPrefix("/login?next=") == true, "\(page)")
            }
            for path in ["/api/v1/me", "/api/v1/calendar", "/api/v1/technicians", "/api/v1/openapi.json"] {
                let response = try await web.send(.GET, path)
                #expect(response.status == .unauthorized, "\(path)")
                #expect(response.body.string.contains(#""reason""#), "\(path): \(response.body.string)")
            }
            #expect(
                try await web.send(.GET, "/api/v1/me", headers: ["Authorization": "Bearer wrong"]).status
                    == .unauthorized)
            let me = try await web.send(.GET, "/api/v1/me", headers: admin)
            #expect(me.status == .ok)
            #expect(me.body.string.contains(#""role":"admin""#))
        }
    }

    @Test(arguments: TestDatabases.all)
    func loginChecksThePasswordAndStartsAFreshSession(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            let wrong = try await web.login("admin", "not the password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("do not match"))
            let before = web.cookie
            let right = try await web.login("ADMIN", ServerHarness.password)
            #expect(right.status == .seeOther)
            #expect(right.headers.first(name: .location) == "/")
            // An admin or dispatcher lands on the day's calendar of everyone.
            let landing = try await web.send(.GET, "/", headers: ["Accept": "text/html"])
            #expect(landing.headers.first(name: .location) == "/calendar?view=day")
            #expect(web.cookie != nil && web.cookie != before, "login must issue a new session id")
            let cookieHeader = try #require(right.headers.first(name: .setCookie))
            #expect(cookieHeader.contains("HttpOnly"))
            #expect(cookieHeader.lowercased().contains("samesite=lax"))
            let me = try await web.send(.GET, "/api/v1/me")
            #expect(me.body.string.contains(#""username":"admin""#))
            // Only paths on this site are followed after login.
            #expect(PublicRoutes.safeNext("https://evil.example/") == "/")
            #expect(PublicRoutes.safeNext("//evil.example/") == "/")
            #expect(PublicRoutes.safeNext("/calendar?view=day") == "/calendar?view=day")
            let token = try await web.csrf(on: "/calendar")
            #expect(try await web.send(.POST, "/logout", form: ["_csrf": token]).status == .seeOther)
            #expect(try await web.send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabases.all)
    func changesFromACookieSessionNeedTheCSRFToken(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let forged = try await web.send(.POST, "/settings/site", form: ["minMinutesFreeBetweenActivities": "30"])
            #expect(forged.status == .forbidden)
            #expect(try await SettingsStore.get(SettingsStore.siteKey, on: harness.database) == nil)
            let apiForged = try await web.send(.PUT, "/api/v1/settings/site", json: #"{"alignmentMinutes": 15}"#)
            #expect(apiForged.status == .forbidden)

            let token = try await web.csrf(on: "/settings")
            let saved = try await web.send(
                .POST, "/settings/site", form: ["_csrf": token, "minMinutesFreeBetweenActivities": "30"])
            #expect(saved.status == .seeOther)
            #expect(
                try await SettingsStore.get(SettingsStore.siteKey, on: harness.database)?.contains(
                    #""minMinutesFreeBetweenActivities":30"#) == true)
            let viaHeader = try await web.send(
                .PUT, "/api/v1/settings/site", headers: ["X-CSRF-Token": token], json: #"{"alignmentMinutes": 15}"#)
            #expect(viaHeader.status == .ok)
            // A bearer token carries no cookie a browser could replay: no CSRF token needed.
            let bearer = try await web.send(
                .PUT, "/api/v1/settings/site", headers: ["Authorization": "Bearer t0ken"],
                json: #"{"alignmentMinutes": 10}"#)
            #expect(bearer.status == .ok)
        }
    }

    @Test(arguments: TestDatabases.all)
    func settingsFormsNameTheFieldThatIsWrong(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            for (field, value, message) in [
                (
                    "minMinutesFreeBetweenActivities", "soon",
                    "Min Minutes Free Between Activities must be a whole number"
                ),
                ("alignmentMinutes", "7", "alignmentMinutes must be one of"),
                ("horizonDays", "400", "horizonDays"),
                ("bookingBufferAfterMinutes", "15", "needs the booking meeting length"),
            ] {
                let token = try await web.csrf(on: "/settings")
                let response = try await web.send(.POST, "/settings/site", form: ["_csrf": token, field: value])
                #expect(response.status == .seeOther)
                let page = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"])
                #expect(page.body.string.contains("flash-error"), "\(field)=\(value)")
                #expect(page.body.string.contains(message), "\(field)=\(value): expected “\(message)”")
            }
            #expect(try await SettingsStore.get(SettingsStore.siteKey, on: harness.database) == nil)
        }
    }

    @Test(arguments: TestDatabases.all)
    func techniciansSeeAndActOnTheirOwnWorkboardOnly(_ database: String) async throws {
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
            // A technician lands on their own Workboard.
            let landing = try await web.send(.GET, "/", headers: ["Accept": "text/html"])
            #expect(landing.headers.first(name: .location) == "/workboard")
            let home = try await web.send(.GET, "/workboard", headers: ["Accept": "text/html"])
            #expect(home.headers.first(name: .location) == "/workboard/\(own)")
            #expect(try await web.send(.GET, "/api/v1/technicians/\(own)/workboard").status == .ok)
            #expect(try await web.send(.GET, "/api/v1/technicians/\(other)/workboard").status == .forbidden)
            let page = try await web.send(.GET, "/workboard/\(other)", headers: ["Accept": "text/html"])
            #expect(page.status == .forbidden)
            #expect(page.body.string.contains("another technician"))
            // An id nobody has is not found, not "someone else's".
            let unknown = try await web.send(.GET, "/workboard/999999999", headers: ["Accept": "text/html"])
            #expect(unknown.status == .notFound)
            #expect(unknown.body.string.contains("no active technician has resource id 999999999"))
            #expect(try await web.send(.GET, "/api/v1/technicians/999999999/workboard").status == .notFound)
            #expect(try await web.send(.GET, "/api/v1/calendar?technicianId=999999999").status == .notFound)
            // A page that does not exist says so in words and offers the way back.
            let missing = try await web.send(.GET, "/no-such-page", headers: ["Accept": "text/html"])
            #expect(missing.status == .notFound)
            #expect(missing.body.string.contains("Page not found (404)"))
            #expect(missing.body.string.contains("there is no page at /no-such-page"))
            let missingAPI = try await web.send(.GET, "/api/v1/no-such-route")
            #expect(missingAPI.body.string.contains("/api/v1/openapi.json"))
            #expect(try await web.send(.GET, "/settings", headers: ["Accept": "text/html"]).status == .forbidden)
            let calendar = try #require(try await web.send(.GET, "/api/v1/calendar").json() as? [String: Any])
            let rows = try #require(calendar["technicians"] as? [[String: Any]])
            #expect(rows.map { $0["id"] as? Int } == [own])
            #expect(try await web.send(.GET, "/api/v1/calendar?technicianId=\(other)").status == .forbidden)
            #expect(try await web.send(.GET, "/api/v1/calendar?days=lots").status == .badRequest)

            let theirs = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$resourceID == other)
                    .filter(\.$state == "open").first())
            let token = try await web.csrf(on: "/workboard/\(own)")
            let refused = try await web.send(
                .POST, "/api/v1/activities/\(theirs.activityID)/start", headers: ["X-CSRF-Token": token])
            #expect(refused.status == .forbidden)
            let unchanged = try #require(try await NextActivityRecord.find(theirs.id, on: harness.database))
            #expect(unchanged.startedAt == nil)
        }
    }

    @Test(arguments: TestDatabases.all)
    func apiTokensActForTheirOwnerUntilRevoked(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            // A dispatcher's token, so acting "for its owner" is told apart from the admin's token.
            try await #require(harness.runtime).addUser(
                username: "dana", displayName: "Dana", password: ServerHarness.password, role: .dispatcher,
                resourceID: nil)
            let user = try #require(
                try await UserRecord.query(on: harness.database).filter(\.$username == "dana").first())
            let token = try await Accounts.makeToken(
                named: "PSA bridge", for: user.requireID(), now: harness.clock.now, on: harness.database)
            let stored = try #require(try await APITokenRecord.query(on: harness.database).first())
            #expect(stored.tokenHash != token && !stored.tokenHash.contains(token), "only a hash is kept")
            let web = WebSession(app: harness.app)
            let me = try await web.send(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"])
            #expect(me.status == .ok)
            #expect(me.body.string.contains(#""username":"dana""#), "\(me.body.string)")
            #expect(me.body.string.contains(#""role":"dispatcher""#))

            try await web.login("admin", ServerHarness.password)
            let csrf = try await web.csrf(on: "/settings")
            let revoke = try await web.send(
                .POST, "/settings/tokens/\(stored.requireID())/revoke", form: ["_csrf": csrf])
            #expect(revoke.status == .seeOther)
            let after = WebSession(app: harness.app)
            #expect(
                try await after.send(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]).status
                    == .unauthorized)
        }
    }

    @Test(arguments: TestDatabases.all)
    func theConnectionSecretIsStoredEncrypted(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let secret = "sandbox-secret"
            let token = try await web.csrf(on: "/settings")
            let saved = try await web.send(
                .POST, "/settings/connection",
                form: [
                    "_csrf": token, "integrationCode": "LIFTOFF-SANDBOX", "userName": "liftoff@sandbox.local",
                    "secret": secret, "discoveryURL": SandboxServer.discoveryURL(port: harness.port).absoluteString,
                ])
            #expect(saved.status == .seeOther)
            let raw = try #require(try await SettingsStore.get(StoredConnection.settingKey, on: harness.database))
            #expect(
                !raw.contains(secret) && !raw.contains("LIFTOFF-SANDBOX"), "the connection must not be stored in clear")
            let runtime = try #require(harness.runtime)
            let loaded = try await StoredConnection.load(on: harness.database, box: runtime.box)
            #expect(loaded?.secret == secret)
            let stranger = SecretBox(key: .init(size: .bits256))
            #expect(throws: ConfigurationError.self) { try stranger.open(raw) }

            let testToken = try await web.csrf(on: "/settings")
            try await web.send(
                .POST, "/settings/connection/test",
                form: [
                    "_csrf": testToken, "integrationCode": "LIFTOFF-SANDBOX", "userName": "liftoff@sandbox.local",
                    "secret": "", "discoveryURL": SandboxServer.discoveryURL(port: harness.port).absoluteString,
                ])
            let good = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"])
            #expect(good.body.string.contains("Connected to"), "a blank secret keeps the stored one")
            let badToken = try await web.csrf(on: "/settings")
            try await web.send(
                .POST, "/settings/connection/test",
                form: [
                    "_csrf": badToken, "integrationCode": "LIFTOFF-SANDBOX", "userName": "liftoff@sandbox.local",
                    "secret": "wrong", "discoveryURL": SandboxServer.discoveryURL(port: harness.port).absoluteString,
                ])
            let bad = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"])
            #expect(bad.body.string.contains("Autotask refused the credentials"))
        }
    }

    @Test(arguments: TestDatabases.all)
    func theOpenAPIDocumentDescribesEveryRoute(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            let response = try await web.send(.GET, "/api/v1/openapi.json", headers: admin)
            let document = try #require(try response.json() as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys where ["get", "put", "post", "delete", "patch"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            var served = Set<String>()
            for route in harness.app.routes.all {
                let path =
                    "/"
                    + route.path.map { component -> String in
                        switch component {
                        case .constant(let text): return text
                        case .parameter(let name): return "{\(name)}"
                        default: return "\(component)"
                        }
                    }.joined(separator: "/")
                if path.hasPrefix("/api/") || path == "/health" || path == "/metrics" {
                    served.insert("\(route.method.rawValue) \(path)")
                }
            }
            #expect(served.subtracting(documented).sorted() == [], "routes missing from openapi.json")
            #expect(documented.subtracting(served).sorted() == [], "openapi.json describes routes that do not exist")
        }
    }
}
