import Fluent
import Foundation
import LiftoffCore
import Testing
import Vapor
import VaporTesting
import WallClock

@testable import LiftoffServer

/// What the Store may hold that Liftoff did not expect — a setting edited by hand, a connection
/// sealed with a key that is gone — is said out loud, and never stops an admin from fixing it.
@Suite(.serialized) struct StoredStateTests {
    @Test(arguments: TestDatabases.all)
    func unreadableSettingsAreNamedOnSettingsAndNeverReplacedInSilence(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            try await SettingsStore.set(
                WorkflowSettings.settingKey, #"{"requireAcceptance": "maybe"}"#, on: harness.database)
            try await SettingsStore.set(
                ActivityRules.settingKey, #"{"defaultMinutes": "an hour"}"#, on: harness.database)
            // The workflow falls back to its defaults (actions keep working), the log says so.
            #expect(try await WorkflowSettings.load(on: harness.database) == WorkflowSettings())
            // Activity lengths do not: a wrong default would give every new activity a wrong length.
            await #expect(throws: UnreadableSetting.self) { try await ActivityRules.load(on: harness.database) }
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let page = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"])
            #expect(page.status == .ok, "the page that fixes it still opens")
            let html = page.body.string
            #expect(html.contains("id=\"unreadable-settings\""))
            #expect(
                html.contains("the stored workflow setting cannot be read (requireAcceptance must be true or false)"))
            #expect(html.contains("the stored activityRules setting cannot be read"))
            let api = try await harness.app.testing().sendRequest(
                .GET, "/api/v1/settings/activity-rules", headers: ["Authorization": "Bearer t0ken"])
            #expect(api.body.string.contains("activityRules setting cannot be read"))
            // Never replaced: reading, the page and the API leave the stored text for the admin to see.
            #expect(
                try await SettingsStore.get(ActivityRules.settingKey, on: harness.database)
                    == #"{"defaultMinutes": "an hour"}"#)
            #expect(
                try await SettingsStore.get(WorkflowSettings.settingKey, on: harness.database)
                    == #"{"requireAcceptance": "maybe"}"#)
            // Saving the workflow again clears it.
            let token = try await web.csrf(on: "/settings")
            _ = try await web.send(
                .POST, "/settings/workflow", headers: ["Accept": "text/html"], form: ["_csrf": token])
            let again = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"])
            #expect(!again.body.string.contains("workflow setting cannot be read"))
        }
    }

    /// The key that sealed the saved connection is lost (a new key file): the server still starts, and
    /// Settings asks for the connection again.
    @Test func theServerStartsWhenTheSavedConnectionCannotBeOpened() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liftoff-key-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func start(keyFile: String) async throws -> (Application, LiftoffRuntime) {
            let app = try await Application.make(.testing)
            app.logger.logLevel = .critical
            let runtime = try await app.configureLiftoff(
                LiftoffServerOptions(
                    configuration: LiftoffConfiguration(
                        database: .sqliteFile(directory + "/store.sqlite"), autotask: nil),
                    keyFile: directory + "/" + keyFile, schedule: false, initialAdminPassword: ServerHarness.password,
                    clock: ManualClock(at: TestClock.start).clock))
            return (app, runtime)
        }
        let (first, firstRuntime) = try await start(keyFile: "first.key")
        try await firstRuntime.saveConnection(
            integrationCode: "CODE", userName: "api@example.com", secret: "secret",
            discoveryURL: URL(string: "http://127.0.0.1:1/atservicesrest/")!)
        await firstRuntime.stop()
        try await first.asyncShutdown()

        let (second, secondRuntime) = try await start(keyFile: "second.key")
        let web = WebSession(app: second)
        #expect(try await web.login("admin", ServerHarness.password).status == .seeOther)
        let page = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"])
        #expect(page.status == .ok)
        #expect(page.body.string.contains("The saved connection cannot be used"))
        await secondRuntime.stop()
        try await second.asyncShutdown()
    }
}
