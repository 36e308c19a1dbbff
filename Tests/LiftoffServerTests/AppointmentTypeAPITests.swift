import Fluent
import Foundation
import LiftoffCore
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// Appointment types and `GET /api/v1/availability` (issue 13, docs/booking.md): types are checked
/// field by field and stored; availability offers the engine's slots from the plan the pages show,
/// never over anything on the technician's calendar, and a technician sees their own only.
@Suite(.serialized) struct AppointmentTypeAPITests {
    static let admin: HTTPHeaders = ["Authorization": "Bearer t0ken", "Content-Type": "application/json"]

    static func send(
        _ harness: ServerHarness, _ method: HTTPMethod, _ path: String, _ body: String? = nil
    ) async throws -> TestingHTTPResponse {
        try await harness.app.testing().sendRequest(
            method, path, headers: admin, body: body.map { ByteBuffer(string: $0) })
    }

    static func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try response.json() as? [String: Any], "\(response.status): \(response.body.string)")
    }

    @Test(arguments: TestDatabases.all)
    func aTypeIsStoredWithItsDefaultsListedReplacedAndArchived(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let created = try await Self.send(
                harness, .POST, "/api/v1/appointment-types", #"{"name": "  Remote session ", "lengthMinutes": 30}"#)
            #expect(created.status == .created, "\(created.body.string)")
            let type = try Self.object(created)
            let id = try #require(type["id"] as? String)
            #expect(created.headers.first(name: .location) == "/api/v1/appointment-types/\(id)")
            #expect(type["name"] as? String == "Remote session")
            #expect(type["location"] as? String == "remote")
            #expect(type["startIncrementMinutes"] as? Int == 15)
            #expect(type["bookingWindowDays"] as? Int == 14)
            #expect(type["mode"] as? String == "gapsOnly")
            #expect((type["minimumNotice"] as? [String: Any])?["unit"] as? String == "minutes")
            #expect(type["technicianIds"] as? [Int] == [])
            #expect(type["archived"] as? Bool == false)
            // The sandbox's picklist has no "Scheduled Remote": a new type sets no status.
            #expect(type["ticketStatus"] is NSNull)

            let replaced = try await Self.send(
                harness, .PUT, "/api/v1/appointment-types/\(id)",
                #"{"name": "Onsite visit", "lengthMinutes": 90, "location": "onsite", "bufferAfterMinutes": 30, "#
                    + #""minimumNotice": {"unit": "businessDays", "amount": 1}, "maximumPerDay": 2, "#
                    + #""technicianIds": [29682885, 29682885], "ticketStatus": "in progress"}"#)
            #expect(replaced.status == .ok, "\(replaced.body.string)")
            let shown = try Self.object(try await Self.send(harness, .GET, "/api/v1/appointment-types/\(id)"))
            #expect(shown["name"] as? String == "Onsite visit")
            #expect(shown["technicianIds"] as? [Int] == [29_682_885], "a repeated id counts once")
            #expect(shown["ticketStatus"] as? String == "In Progress", "answered as Autotask spells it")
            #expect((shown["minimumNotice"] as? [String: Any])?["amount"] as? Int == 1)
            #expect(shown["maximumPerDay"] as? Int == 2)

            let listed = try #require(
                try await Self.send(harness, .GET, "/api/v1/appointment-types").json() as? [[String: Any]])
            #expect(listed.map { $0["id"] as? String } == [id])
            #expect(try await Self.send(harness, .DELETE, "/api/v1/appointment-types/\(id)").status == .noContent)
            let afterArchive = try #require(
                try await Self.send(harness, .GET, "/api/v1/appointment-types").json() as? [[String: Any]])
            #expect(afterArchive.isEmpty)
            let archived = try #require(
                try await Self.send(harness, .GET, "/api/v1/appointment-types?archived=true").json() as? [[String: Any]]
            )
            #expect(archived.map { $0["archived"] as? Bool } == [true])
            let offered = try await Self.send(harness, .GET, "/api/v1/availability?appointmentTypeId=\(id)")
            #expect(offered.status == .notFound, "an archived type offers nothing")
        }
    }

    @Test(arguments: TestDatabases.all)
    func aNewTypeSetsScheduledRemoteOrOnsiteWhenTheTenantHasThem(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let statuses =
                #"[{"value": 1, "label": "New"}, {"value": 12, "label": "Scheduled remote"}, "#
                + #"{"value": 13, "label": "Scheduled Onsite"}, {"value": 5, "label": "Complete"}]"#
            try await SettingsStore.set(TicketStatusChoice.settingKey, statuses, on: harness.database)
            var labels: [String?] = []
            for location in ["remote", "phone", "onsite"] {
                let created = try Self.object(
                    try await Self.send(
                        harness, .POST, "/api/v1/appointment-types",
                        #"{"name": "T", "lengthMinutes": 30, "location": "\#(location)"}"#))
                labels.append(created["ticketStatus"] as? String)
            }
            #expect(labels == ["Scheduled remote", "Scheduled remote", "Scheduled Onsite"])
            let none = try Self.object(
                try await Self.send(
                    harness, .POST, "/api/v1/appointment-types",
                    #"{"name": "T", "lengthMinutes": 30, "ticketStatus": null}"#))
            #expect(none["ticketStatus"] is NSNull, "null asks for no status")
        }
    }

    @Test(arguments: TestDatabases.all)
    func aWrongTypeNamesEveryWrongFieldAndStoresNothing(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let answer = try await Self.send(
                harness, .POST, "/api/v1/appointment-types",
                #"{"name": "   ", "lengthMinutes": 0, "location": "moon", "startIncrementMinutes": 7, "#
                    + #""bufferAfterMinutes": -5, "minimumNotice": {"unit": "fortnights", "amount": 1}, "#
                    + #""bookingWindowDays": 0, "maximumPerDay": 0, "mode": "greedy", "technicianIds": [29682885, 4], "#
                    + #""ticketStatus": "Teleported"}"#)
            #expect(answer.status == .badRequest)
            let reason = try Self.object(answer)["reason"] as? String ?? ""
            for expected in [
                "name must be 1 to 100 characters", "lengthMinutes must be 5 to 720 minutes, got 0",
                "location must be remote, onsite or phone", "startIncrementMinutes must be one of 5, 10, 15",
                "bufferAfterMinutes must be 0 to 240 minutes, got -5", "minimumNotice.unit must be minutes",
                "bookingWindowDays must be 1 to 366 days, got 0", "maximumPerDay must be 1 to 50",
                "mode must be gapsOnly or flexible", "technicianIds[1]: 4 is not an active technician",
                "ticketStatus “Teleported” is not a ticket status in Autotask; known: New",
            ] {
                #expect(reason.contains(expected), "missing “\(expected)” in: \(reason)")
            }
            #expect(!reason.contains("technicianIds[0]"), "a known technician is not named")
            for (body, expected) in [
                (#"{"lengthMinutes": 30}"#, "name is missing"),
                (#"{"name": "X", "lengthMinutes": "half an hour"}"#, "lengthMinutes must be a whole number"),
                (#"{"name": "X", "lengthMinutes": 30, "technicianIds": [1.5]}"#, "must be a whole number"),
                (#"{"name": "X", "lengthMinutes": 30, "minimumNotice": {"unit": "hours"}}"#, "amount is missing"),
            ] {
                let refused = try await Self.send(harness, .POST, "/api/v1/appointment-types", body)
                #expect(refused.status == .badRequest, "\(body)")
                #expect(refused.body.string.contains(expected), "\(body): \(refused.body.string)")
            }
            #expect(try await AppointmentTypeRecord.query(on: harness.database).count() == 0)
            let unknown = "/api/v1/appointment-types/5c6f3e4a-0000-4000-8000-000000000000"
            #expect(try await Self.send(harness, .GET, unknown).status == .notFound)
            #expect(
                try await Self.send(harness, .PUT, unknown, #"{"name": "X", "lengthMinutes": 30}"#).status
                    == .notFound)
            #expect(try await Self.send(harness, .GET, "/api/v1/appointment-types/nope").status == .badRequest)
            #expect(try await AppointmentTypeRecord.query(on: harness.database).count() == 0)
        }
    }

    /// The slots are the engine's (fed from the Store afresh), and none of them, buffers included,
    /// touches anything the calendar shows for the technician: Next Activity blocks (gaps only),
    /// fixed and imported calls, time off.
    @Test(arguments: TestDatabases.all)
    func availabilityOffersTheEnginesSlotsClearOfTheCalendar(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let runtime = try #require(harness.runtime)
            let technicians = try await runtime.technicians()
            let technician = technicians[0].id
            let created = try Self.object(
                try await Self.send(
                    harness, .POST, "/api/v1/appointment-types",
                    #"{"name": "Remote session", "lengthMinutes": 30, "bufferBeforeMinutes": 10, "#
                        + #""bufferAfterMinutes": 10, "bookingWindowDays": 7, "technicianIds": [\#(technician)]}"#))
            let id = try #require(created["id"] as? String)
            let answer = try await Self.send(harness, .GET, "/api/v1/availability?appointmentTypeId=\(id)")
            #expect(answer.status == .ok, "\(answer.body.string)")
            let body = try Self.object(answer)
            let slots = try #require(body["slots"] as? [[String: Any]])
            #expect(!slots.isEmpty, "a technician with working hours has free time in a week")
            #expect((body["technicians"] as? [[String: Any]])?.map { $0["id"] as? Int } == [technician])

            // The engine over the Store's problem, planned afresh at the same instant.
            let built = try await ProblemBuilder(database: harness.database, now: harness.now).build().problem
            let plan = Planner.plan(built)
            let index = try #require(built.technicians.firstIndex { $0.id == String(technician) })
            let uuid = try #require(UUID(uuidString: id))
            let stored = try #require(try await AppointmentTypes.find(uuid, on: harness.database))
            let expected = Availability.slots(
                of: stored.definition.appointmentType(id: id),
                for: [.init(technician: built.technicians[index], plan: plan.technicians[index])],
                settings: built.settings, now: CalendarReflowJob.instant(harness.now),
                from: CalendarReflowJob.instant(harness.now),
                to: CalendarReflowJob.instant(harness.now.addingTimeInterval(7 * 86_400)))
            let starts = slots.compactMap { $0["start"] as? String }
            #expect(starts == expected.map { RFC3339.format($0.start) })

            // Nothing on the calendar within the buffers.
            let today = String(RFC3339.format(CalendarReflowJob.instant(harness.now)).prefix(10))
            let calendar = try Self.object(
                try await Self.send(
                    harness, .GET, "/api/v1/calendar?technicianId=\(technician)&start=\(today)&days=9"))
            let items = try #require((calendar["technicians"] as? [[String: Any]])?.first?["items"] as? [[String: Any]])
            let blocking = items.filter {
                ["activity", "fixed", "imported", "timeOff"].contains($0["kind"] as? String)
            }
            #expect(blocking.contains { $0["kind"] as? String == "activity" }, "the week has Next Activity blocks")
            for slot in slots {
                let start = try #require(RFC3339.parse(slot["start"] as? String ?? "")).date.addingTimeInterval(-600)
                let end = try #require(RFC3339.parse(slot["end"] as? String ?? "")).date.addingTimeInterval(600)
                for item in blocking {
                    let itemStart = try #require(RFC3339.parse(item["start"] as? String ?? "")).date
                    let itemEnd = try #require(RFC3339.parse(item["end"] as? String ?? "")).date
                    #expect(
                        !(itemStart < end && start < itemEnd),
                        "slot \(slot["start"] ?? "") overlaps \(item["kind"] ?? "") \(item["title"] ?? "")")
                }
            }
        }
    }

    @Test(arguments: TestDatabases.all)
    func aTechnicianSeesTheirOwnAvailabilityOnly(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let runtime = try #require(harness.runtime)
            let technicians = try await runtime.technicians()
            let (own, other) = (technicians[0].id, technicians[1].id)
            let id = try #require(
                try Self.object(
                    try await Self.send(
                        harness, .POST, "/api/v1/appointment-types", #"{"name": "Call", "lengthMinutes": 15}"#)
                )["id"] as? String)
            try await runtime.addUser(
                username: "tech", displayName: "Tech", password: ServerHarness.password, role: .technician,
                resourceID: own)
            let web = WebSession(app: harness.app)
            try await web.login("tech", ServerHarness.password)
            let mine = try #require(
                try await web.send(.GET, "/api/v1/availability?appointmentTypeId=\(id)").json() as? [String: Any])
            let ids = Set((mine["slots"] as? [[String: Any]] ?? []).compactMap { $0["technicianId"] as? Int })
            #expect(ids == [own])
            let theirs = try await web.send(.GET, "/api/v1/availability?appointmentTypeId=\(id)&technicianId=\(other)")
            #expect(theirs.status == .forbidden)
            let token = try await web.csrf(on: "/account")
            let write = try await web.send(
                .POST, "/api/v1/appointment-types", headers: ["X-CSRF-Token": token],
                json: #"{"name": "Mine", "lengthMinutes": 15}"#)
            #expect(write.status == .forbidden, "technicians do not make types")
        }
    }

    @Test(arguments: [
        ("", "appointmentTypeId is missing"), ("appointmentTypeId=abc", "must be an appointment type's id"),
        ("appointmentTypeId=ID&from=tomorrow", "from must be a date-time"),
        ("appointmentTypeId=ID&from=2026-09-09T00:00:00Z&to=2026-09-08T00:00:00Z", "to must be later than from"),
        ("appointmentTypeId=ID&from=2026-09-01T00:00:00Z&to=2026-12-01T00:00:00Z", "at most 62 days apart"),
        ("appointmentTypeId=ID&technicianId=x", "technicianId must be a whole number"),
    ])
    func aBadAvailabilityQueryIsA400ThatSaysWhy(_ query: String, _ expected: String) async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            let id = try #require(
                try Self.object(
                    try await Self.send(
                        harness, .POST, "/api/v1/appointment-types", #"{"name": "Call", "lengthMinutes": 15}"#)
                )["id"] as? String)
            let answer = try await Self.send(
                harness, .GET, "/api/v1/availability?" + query.replacingOccurrences(of: "ID", with: id))
            #expect(answer.status == .badRequest)
            #expect(answer.body.string.contains(expected), "\(answer.body.string)")
        }
    }

    /// The Settings page: a wrong form comes back as typed with the reasons; a right one is listed with
    /// the first slots it offers.
    @Test(arguments: TestDatabases.all)
    func theSettingsPageKeepsWhatWasTypedAndShowsTheNextSlots(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let token = try await web.csrf(on: "/settings/appointment-types")
            let wrong = try await web.send(
                .POST, "/settings/appointment-types", headers: ["Accept": "text/html"],
                form: [
                    "_csrf": token, "name": "Onsite visit", "lengthMinutes": "ninety", "location": "onsite",
                    "startIncrementMinutes": "30", "noticeAmount": "2", "noticeUnit": "businessHours",
                    "bookingWindowDays": "14", "mode": "gapsOnly",
                ])
            #expect(wrong.status == .badRequest)
            #expect(wrong.body.string.contains("Length must be a whole number, got “ninety”"))
            #expect(wrong.body.string.contains(#"value="Onsite visit""#), "what was typed comes back")
            #expect(try await AppointmentTypeRecord.query(on: harness.database).count() == 0)

            let saved = try await web.send(
                .POST, "/settings/appointment-types", headers: ["Accept": "text/html"],
                form: [
                    "_csrf": token, "name": "Onsite visit", "lengthMinutes": "90", "location": "onsite",
                    "startIncrementMinutes": "30", "noticeAmount": "2", "noticeUnit": "businessHours",
                    "bookingWindowDays": "14", "mode": "gapsOnly", "ticketStatus": "",
                ])
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(400))")
            let page = try await web.send(.GET, "/settings/appointment-types", headers: ["Accept": "text/html"])
            let text = page.body.string
            #expect(text.contains("Appointment type “Onsite visit” saved."))
            #expect(text.contains("90 min, onsite, every 30 min, notice 2 working hours, 14 days ahead, gaps only"))
            #expect(text.contains("Every active technician"))
            let slots = text.components(separatedBy: #"<td class="next-slots"><ul><li>"#)
            #expect(slots.count == 2, "the type lists its first free slots")
        }
    }
}
