import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// Passwords and the login limit, as an attacker with a stolen session or a proxy in between would
/// try them (issue 11): every route asks for the current password, guessing it is throttled like a
/// login, over-long passwords are refused, and no one can lock the admin out of every way back.
@Suite(.serialized) struct AccountSecurityTests {
    static let newPassword = "a new long passphrase"

    static func addDana(_ harness: ServerHarness) async throws {
        try await #require(harness.runtime).addUser(
            username: "dana", displayName: "Dana", password: ServerHarness.password, role: .dispatcher,
            resourceID: nil)
    }

    static func json(_ object: [String: String]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
    }

    @Test(arguments: TestDatabases.all)
    func changingOnesOwnPasswordNeedsTheCurrentOneOnEveryRoute(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            try await Self.addDana(harness)
            let dana = WebSession(app: harness.app)
            try await dana.login("dana", ServerHarness.password)
            let token = try await dana.csrf(on: "/account")
            let headers: HTTPHeaders = ["X-CSRF-Token": token, "Accept": "application/json"]
            let path = "/api/v1/users/dana/password"
            let missing = try await dana.send(
                .PUT, path, headers: headers, json: Self.json(["password": Self.newPassword]))
            #expect(missing.status == .badRequest)
            #expect(missing.body.string.contains("currentPassword"))
            let wrong = try await dana.send(
                .PUT, path, headers: headers,
                json: Self.json(["password": Self.newPassword, "currentPassword": "not it at all"]))
            #expect(wrong.status == .forbidden)
            #expect(wrong.body.string.contains("current password is not right"))
            #expect(try await WebSession(app: harness.app).login("dana", Self.newPassword).status == .unauthorized)
            let right = try await dana.send(
                .PUT, path, headers: headers,
                json: Self.json(["password": Self.newPassword, "currentPassword": ServerHarness.password]))
            #expect(right.status == .noContent)
            #expect(try await WebSession(app: harness.app).login("dana", Self.newPassword).status == .seeOther)

            // An admin's own password on Settings' reset form: refused, pointing at the account page.
            let admin = WebSession(app: harness.app)
            try await admin.login("admin", ServerHarness.password)
            let adminToken = try await admin.csrf(on: "/settings")
            _ = try await admin.send(
                .POST, "/settings/users/admin/password", headers: ["Accept": "text/html"],
                form: ["_csrf": adminToken, "password": Self.newPassword])
            #expect(try await WebSession(app: harness.app).login("admin", Self.newPassword).status == .unauthorized)
            #expect(try await WebSession(app: harness.app).login("admin", ServerHarness.password).status == .seeOther)
            let flash = try await admin.send(.GET, "/settings", headers: ["Accept": "text/html"])
            #expect(flash.body.string.contains("change your own password on the Account page"))
        }
    }

    @Test(arguments: TestDatabases.all)
    func wrongCurrentPasswordsAreThrottledLikeLogins(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            try await Self.addDana(harness)
            let dana = WebSession(app: harness.app)
            try await dana.login("dana", ServerHarness.password)
            let token = try await dana.csrf(on: "/account")
            for attempt in 0..<5 {
                let page = try await dana.send(
                    .POST, "/account/password", headers: ["Accept": "text/html"],
                    form: ["_csrf": token, "current": "guess \(attempt)", "new": Self.newPassword])
                #expect(page.status == .seeOther, "a wrong guess returns to the page with a message")
            }
            let blocked = try await dana.send(
                .POST, "/account/password", headers: ["Accept": "text/html"],
                form: ["_csrf": token, "current": ServerHarness.password, "new": Self.newPassword])
            #expect(blocked.status == .tooManyRequests, "even the right password waits")
            #expect(Int(blocked.headers.first(name: .retryAfter) ?? "") ?? 0 > 800)
            let api = try await dana.send(
                .PUT, "/api/v1/users/dana/password", headers: ["X-CSRF-Token": token],
                json: Self.json(["password": Self.newPassword, "currentPassword": ServerHarness.password]))
            #expect(api.status == .tooManyRequests, "the API counts the same failures")
            #expect(
                try await Accounts.verify(username: "dana", password: Self.newPassword, on: harness.database) == nil)
            #expect(
                try await Accounts.verify(username: "dana", password: ServerHarness.password, on: harness.database)
                    != nil)
        }
    }

    @Test(arguments: TestDatabases.all)
    func anAdminSettingSomeoneElsesPasswordLiftsTheirLock(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            try await Self.addDana(harness)
            let stranger = WebSession(app: harness.app)
            for _ in 0..<5 { try await stranger.login("dana", "guess") }
            #expect(try await stranger.login("dana", ServerHarness.password).status == .tooManyRequests)
            // The configured admin token has no password of its own: it sets Dana's without one.
            let reset = try await harness.app.testing().sendRequest(
                .PUT, "/api/v1/users/dana/password", headers: ["Authorization": "Bearer t0ken"],
                body: ByteBuffer(string: Self.json(["password": Self.newPassword])))
            #expect(reset.status == .noContent)
            #expect(try await WebSession(app: harness.app).login("dana", Self.newPassword).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabases.all)
    func passwordsLongerThanBcryptReadsAreRefused(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let long = String(repeating: "correct horse ", count: 8)  // 112 bytes
            let created = try await harness.app.testing().sendRequest(
                .POST, "/api/v1/users", headers: ["Authorization": "Bearer t0ken", "Content-Type": "application/json"],
                body: ByteBuffer(string: Self.json(["username": "ed", "password": long, "role": "dispatcher"])))
            #expect(created.status == .badRequest)
            #expect(created.body.string.contains("at most 72 bytes"))
            #expect(try await UserRecord.query(on: harness.database).filter(\.$username == "ed").first() == nil)
            // A hash made before the limit, from a long password: its first 72 bytes plus anything must
            // not log in (bcrypt alone would say yes).
            try await Self.addDana(harness)
            let dana = try #require(
                try await UserRecord.query(on: harness.database).filter(\.$username == "dana").first())
            dana.passwordHash = try Bcrypt.hash(long, cost: 4)
            try await dana.save(on: harness.database)
            let forged = String(long.utf8.prefix(72))! + "anything"
            #expect(try Bcrypt.verify(forged, created: dana.passwordHash), "bcrypt itself ignores byte 73 on")
            #expect(try await WebSession(app: harness.app).login("dana", forged).status == .unauthorized)
            #expect(try await Accounts.verify(username: "dana", password: long, on: harness.database) == nil)
        }
    }

    /// Behind a trusted proxy each client counts for itself: guesses at `admin` from one address do not
    /// lock the admin out from another. Without the option the header is not believed.
    @Test(arguments: [true, false])
    func guessesAtAdminLockOnlyTheGuessersAddress(_ trusted: Bool) async throws {
        try await ServerHarness.run(
            "sqlite", web: true, trustedProxies: trusted ? try TrustedProxies("127.0.0.1/32, ::1") : .none
        ) { harness in
            let attacker = WebSession(app: harness.app, method: .running(hostname: "127.0.0.1", port: 0))
            for _ in 0..<5 {
                let token = try await attacker.csrf(on: "/login")
                let answer = try await attacker.send(
                    .POST, "/login", headers: ["X-Forwarded-For": "203.0.113.7"],
                    form: ["_csrf": token, "username": "admin", "password": "guess"])
                #expect(answer.status == .unauthorized)
            }
            let realAdmin = WebSession(app: harness.app, method: .running(hostname: "127.0.0.1", port: 0))
            let token = try await realAdmin.csrf(on: "/login")
            let answer = try await realAdmin.send(
                .POST, "/login", headers: ["X-Forwarded-For": "198.51.100.2"],
                form: ["_csrf": token, "username": "admin", "password": ServerHarness.password])
            // Over a real socket the client follows the login's redirect: 200 is the Workboard.
            if trusted {
                #expect(answer.status == .ok || answer.status == .seeOther, "\(answer.status)")
            } else {
                #expect(answer.status == .tooManyRequests)
            }
            let failures = try await LoginFailureRecord.query(on: harness.database).all()
            #expect(Set(failures.map(\.address)) == [trusted ? "203.0.113.7" : "127.0.0.1"])
        }
    }

    @Test func theServersCommandLineResetsAPasswordAndLiftsTheLock() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("liftoff-reset-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await ServerHarness.run("sqlite", sqliteFile: file, web: true) { harness in
            let stranger = WebSession(app: harness.app)
            for _ in 0..<5 { try await stranger.login("admin", "guess") }
            #expect(try await stranger.login("admin", ServerHarness.password).status == .tooManyRequests)
            let binary = try #require(ReflowFaultTests.liftoffBinary(), "the liftoff executable is built")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["admin", "reset-password", "admin", "--database-url", "sqlite:" + file]
            process.environment = ProcessInfo.processInfo.environment.merging(["LIFTOFF_NEW_PASSWORD": Self.newPassword]
            ) {
                $1
            }
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(printed.contains("login locks lifted"))
            #expect(try await WebSession(app: harness.app).login("admin", Self.newPassword).status == .seeOther)
        }
    }
}
