import Fluent
import Foundation
import LiftoffCore
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// The first-contact API and pages: the writing switch, the connection report, zones and hours set
/// by hand, and the Next Activity lengths — who may do what, and errors that name the field.
@Suite(.serialized) struct FirstContactAPITests {
    let admin: HTTPHeaders = ["Authorization": "Bearer t0ken", "Content-Type": "application/json"]

    @Test(arguments: TestDatabases.all)
    func theWritingSwitchIsAdminsOnlyAndTheReportShowsEveryTechniciansZone(_ database: String) async throws {
        try await ServerHarness.run(database, web: true, writing: nil) { harness in
            let summary = try await harness.job.run(trigger: "test", fullImport: true)
            #expect(summary.mode == "preview")
            let runtime = try #require(harness.runtime)
            try await runtime.addUser(
                username: "dispatch", displayName: "Dispatch", password: ServerHarness.password, role: .dispatcher,
                resourceID: nil)
            let web = WebSession(app: harness.app)
            try await web.login("dispatch", ServerHarness.password)
            let token = try await web.csrf(on: "/settings")

            let writing = try #require(try await web.send(.GET, "/api/v1/settings/writing").json() as? [String: Any])
            #expect(writing["writing"] as? String == "off")
            let preview = try #require(writing["preview"] as? [String: Any])
            #expect(preview["creates"] as? Int == summary.created)
            let changes = try #require(preview["changes"] as? [[String: Any]])
            #expect(changes.allSatisfy { ($0["text"] as? String)?.hasPrefix("create ") == true })
            let refused = try await web.send(
                .PUT, "/api/v1/settings/writing", headers: ["X-CSRF-Token": token], json: #"{"writing": "on"}"#)
            #expect(refused.status == .forbidden)
            let bad = try await web.send(
                .PUT, "/api/v1/settings/writing", headers: admin, json: #"{"writing": "maybe"}"#)
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("writing must be on or off"))
            let on = try await web.send(.PUT, "/api/v1/settings/writing", headers: admin, json: #"{"writing": "on"}"#)
            #expect(on.status == .ok)
            #expect(try await WritingSwitch.mode(on: harness.database) == .on)

            // The Settings page shows the preview to the dispatcher, without the switch.
            try await WritingSwitch.set(.off, by: "test", at: harness.now, on: harness.database)
            let settings = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"]).body.string
            #expect(settings.contains("What writing would do"))
            #expect(settings.contains("Only an admin can switch writing."))

            let report = try #require(
                try await web.send(.GET, "/api/v1/connection/report").json() as? [String: Any])
            let rows = try #require(report["technicians"] as? [[String: Any]])
            #expect(rows.count == 12)
            let zones = Set(rows.compactMap { $0["timeZone"] as? String })
            #expect(zones == ["America/New_York", "Europe/London", "Asia/Kolkata"])
            #expect(rows.allSatisfy { ($0["zoneSource"] as? String)?.contains("display name") == true })
            #expect(rows.contains { (($0["appointments"] as? [String: Int])?["next14Days"] ?? 0) > 0 })
            let page = try await web.send(.GET, "/connection", headers: ["Accept": "text/html"])
            #expect(page.status == .ok)
            #expect(page.body.string.contains("America/New_York"))
        }
    }

    @Test(arguments: [
        (#"{"timeZone": "Mars/Olympus"}"#, "is not a time zone Liftoff knows"),
        (#"{"timeZone": 5}"#, "timeZone must be a string or null"),
        (#"{"weeklyHours": {"tue": [["09:00", "08:00"]]}}"#, "weeklyHours.tue[0]: the end must be after the start"),
        (#"{"hours": {}}"#, "hours is not a field here"),
        (#"{}"#, "give timeZone, weeklyHours or both"),
        (#"not json"#, "expected a JSON object"),
    ])
    func aBadZoneEditNamesTheField(_ body: String, _ reason: String) async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let id = try #require(try await harness.runtime?.technicians().first?.id)
            let web = WebSession(app: harness.app)
            let answer = try await web.send(
                .PUT, "/api/v1/settings/technicians/\(id)/zone", headers: admin, json: body)
            #expect(answer.status == .badRequest)
            #expect(answer.body.string.contains(reason), "\(answer.body.string)")
        }
    }

    @Test(arguments: TestDatabases.all)
    func aZoneAndHoursSetByHandWinAndClearBackToAutotask(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let id = try #require(try await harness.runtime?.technicians().first?.id)
            let web = WebSession(app: harness.app)
            let set = try await web.send(
                .PUT, "/api/v1/settings/technicians/\(id)/zone", headers: admin,
                json: #"{"timeZone": "(UTC+05:45) Kathmandu", "weeklyHours": {"mon": [["07:00", "15:00"]]}}"#)
            #expect(set.status == .ok)
            let row = try #require(try set.json() as? [String: Any])
            #expect(row["timeZone"] as? String == "Asia/Kathmandu")
            #expect(row["timeZoneFrom"] as? String == "set by hand")
            #expect((row["weeklyHours"] as? [String])?.first == "Mon 07:00-15:00")
            #expect((row["weeklyHours"] as? [String])?[1] == "Tue off")
            #expect(
                try await web.send(
                    .PUT, "/api/v1/settings/technicians/999/zone", headers: admin, json: #"{"timeZone": null}"#
                ).status == .notFound)
            let cleared = try await web.send(
                .PUT, "/api/v1/settings/technicians/\(id)/zone", headers: admin,
                json: #"{"timeZone": null, "weeklyHours": null}"#)
            let back = try #require(try cleared.json() as? [String: Any])
            #expect(back["timeZoneFrom"] as? String == "autotask")
            #expect(back["hoursFrom"] as? String == "autotask")
            #expect((back["weeklyHours"] as? [String])?.first == "Mon 08:00-17:00")
        }
    }

    @Test(arguments: [
        (#"{"defaultMinutes": 0}"#, "defaultMinutes must be 1 to 1440 minutes, got 0"),
        (#"{"defaultMinutes": 1.5}"#, "defaultMinutes must be a whole number of minutes"),
        (#"{"byPriorityRank": {"first": 30}}"#, "byPriorityRank.first: the key must be a positive priority rank"),
        (#"{"byQueue": {"29683355": 100000}}"#, "byQueue.29683355 must be 1 to 1440 minutes"),
        (#"{"byQueue": []}"#, "byQueue must be an object"),
        (#"{"lengths": {}}"#, "lengths is not a field"),
    ])
    func badActivityRulesNameTheField(_ body: String, _ reason: String) async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            let web = WebSession(app: harness.app)
            let answer = try await web.send(.PUT, "/api/v1/settings/activity-rules", headers: admin, json: body)
            #expect(answer.status == .badRequest)
            #expect(answer.body.string.contains(reason), "\(answer.body.string)")
        }
    }

    @Test(arguments: TestDatabases.all)
    func activityRulesSetThroughTheAPIAndTheFormGiveTheLengthOfNewActivities(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            let saved = try await web.send(
                .PUT, "/api/v1/settings/activity-rules", headers: admin,
                json: #"{"defaultMinutes": 50, "byPriorityRank": {"1": 100, "2": 80, "3": 70, "4": 55}}"#)
            #expect(saved.status == .ok)
            let read = try #require(
                try await web.send(.GET, "/api/v1/settings/activity-rules", headers: admin).json() as? [String: Any])
            #expect(read["defaultMinutes"] as? Int == 50)
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let tickets = Dictionary(
                try await TicketRecord.query(on: harness.database).all().map { ($0.ticketID, $0) }
            ) { first, _ in first }
            let activities = try await NextActivityRecord.query(on: harness.database).all()
            #expect(!activities.isEmpty)
            for activity in activities {
                let rank = tickets[activity.ticketID]!.priorityRank
                #expect(activity.durationMinutes == [1: 100, 2: 80, 3: 70, 4: 55][rank] ?? 50)
            }

            // The Settings form reads the same way and refuses with the same words.
            try await web.login("admin", ServerHarness.password)
            let token = try await web.csrf(on: "/settings")
            _ = try await web.send(
                .POST, "/settings/activity-rules",
                form: ["_csrf": token, "defaultMinutes": "45", "rank1": "90", "rank2": "", "byQueue": "77 = 20"])
            let rules = try await ActivityRules.load(on: harness.database)
            #expect(rules.defaultMinutes == 45)
            #expect(rules.byPriorityRank == ["1": 90])
            #expect(rules.byQueue == ["77": 20])
            _ = try await web.send(
                .POST, "/settings/activity-rules", form: ["_csrf": token, "defaultMinutes": "45", "byQueue": "77"])
            let page = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"]).body.string
            #expect(page.contains("byQueue: &quot;77&quot; is not a line like 29683355 = 30"))
        }
    }
}
