import AutotaskAPI
import AutotaskSandbox
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// The Workboard and calendar as the API serves them, and what each action does, down to the ticket
/// status in the sandbox.
@Suite(.serialized) struct WorkboardWorkflowTests {
    let admin: HTTPHeaders = ["Authorization": "Bearer t0ken"]

    func workboard(_ web: WebSession, _ technician: Int) async throws -> [String: Any] {
        let response = try await web.send(.GET, "/api/v1/technicians/\(technician)/workboard", headers: admin)
        #expect(response.status == .ok)
        return try #require(try response.json() as? [String: Any])
    }

    func order(_ board: [String: Any]) -> [String] {
        (board["nextActivities"] as? [[String: Any]] ?? []).compactMap { $0["activityId"] as? String }
    }

    func ticketStatus(_ harness: ServerHarness, _ ticket: Int) async throws -> Int? {
        try await harness.client.query(Ticket.self, filter: [.eq("id", .integer(ticket))]).first?.status
    }

    @Test(arguments: TestDatabases.all)
    func startAndCompleteSetTheTicketStatusThroughTheOutbox(_ kind: String) async throws {
        try await ServerHarness.run(kind, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let web = WebSession(app: harness.app)
            let technician = try #require(try await harness.runtime?.technicians().first?.id)
            let before = try await workboard(web, technician)
            // An activity whose ticket is not In Progress yet, so the status change shows.
            var chosen: (activity: String, ticket: Int)?
            for entry in before["nextActivities"] as? [[String: Any]] ?? [] {
                if let activity = entry["activityId"] as? String, let ticket = entry["ticketId"] as? Int,
                    try await ticketStatus(harness, ticket) != 8
                {
                    chosen = (activity, ticket)
                    break
                }
            }
            let (activity, ticket) = try #require(chosen)

            let started = try await web.send(.POST, "/api/v1/activities/\(activity)/start", headers: admin)
            #expect(started.status == .ok)
            #expect(started.body.string.contains(#""state":"started""#))
            #expect(started.body.string.contains(#""ticketStatus":"In Progress""#))
            let board = try await workboard(web, technician)
            #expect((board["started"] as? [[String: Any]])?.first?["activityId"] as? String == activity)
            // scheduling.md: started work comes first; the others keep their order.
            #expect(order(board) == [activity] + order(before).filter { $0 != activity })
            let queued = try await TicketUpdateRecord.query(on: harness.database).all()
            #expect(queued.map(\.status) == [8] && queued.map(\.ticketID) == [ticket])
            // The action writes the status right away in the background.
            try await Self.waitUntilWritten(harness)
            #expect(try await ticketStatus(harness, ticket) == 8)

            let again = try await web.send(.POST, "/api/v1/activities/\(activity)/start", headers: admin)
            #expect(again.status == .conflict)
            #expect(again.body.string.contains("is started"))
            let noReason = try await web.send(.POST, "/api/v1/activities/\(activity)/cancel", headers: admin)
            #expect(noReason.status == .badRequest)
            #expect(noReason.body.string.contains("needs a reason"))

            let completed = try await web.send(.POST, "/api/v1/activities/\(activity)/complete", headers: admin)
            #expect(completed.status == .ok)
            #expect(!order(try await workboard(web, technician)).contains(activity))
            try await Self.waitUntilWritten(harness)
            #expect(try await ticketStatus(harness, ticket) == 5)
            let audit = try await AuditRecord.query(on: harness.database).filter(\.$entity == "NextActivity").all()
            #expect(Set(audit.map(\.action)) == ["start", "complete"])
            // The next reflow reads the ticket back as closed and keeps the activity completed.
            _ = try await harness.job.run(trigger: "test")
            let record = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$activityID == activity).first())
            #expect(record.state == "completed")
        }
    }

    /// Waits (up to 30 s) until every queued ticket status change is written: none waits, none is
    /// being sent (`sending`: claimed, its PATCH on the wire).
    static func waitUntilWritten(_ harness: ServerHarness) async throws {
        for _ in 0..<300 {
            let waiting = try await TicketUpdateRecord.query(on: harness.database)
                .filter(\.$state ~~ ["pending", "sending"]).count()
            if waiting == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("ticket status changes still pending after 30 s")
    }

    @Test(arguments: TestDatabases.all)
    func theTicketOutboxKeepsAChangeUntilAutotaskTakesIt(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let ticket = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$isOpen == true).first())
            // A status the ticket does not have yet, so the write shows.
            let target = try await ticketStatus(harness, ticket.ticketID) == 7 ? 8 : 7
            let update = TicketUpdateRecord()
            (update.ticketID, update.status, update.state, update.attempts) = (ticket.ticketID, target, "pending", 0)
            (update.reason, update.createdAt) = ("test", harness.now)
            try await update.save(on: harness.database)
            let worker = TicketOutboxWorker(
                client: harness.client, database: harness.database, logger: harness.app.logger,
                clock: harness.clock.clock)
            // More failures than the client's retries: the change waits for the next drain.
            for _ in 0..<6 { await harness.sandbox.inject(.serverError, method: "PATCH", entity: "Tickets") }
            let failed = try await worker.drain()
            #expect(failed.pending == 1 && failed.done == 0)
            #expect(try await ticketStatus(harness, ticket.ticketID) != target)
            let retried = try await worker.drain()
            #expect(retried == .init(done: 1, failed: 0, pending: 0))
            #expect(try await ticketStatus(harness, ticket.ticketID) == target)
            // A status Autotask does not know fails for good and says why.
            let bad = TicketUpdateRecord()
            (bad.ticketID, bad.status, bad.state, bad.attempts) = (ticket.ticketID, 999, "pending", 0)
            (bad.reason, bad.createdAt) = ("test", harness.now)
            try await bad.save(on: harness.database)
            #expect(try await worker.drain() == .init(done: 0, failed: 1, pending: 0))
            let stored = try #require(try await TicketUpdateRecord.find(bad.id, on: harness.database))
            #expect(stored.state == "failed" && stored.lastError?.isEmpty == false)
        }
    }

    @Test(arguments: TestDatabases.all)
    func aReflowThatChangesNothingLeavesThePagesBe(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let afterFirst = try await PlanVersion.current(on: harness.database)
            _ = try await harness.job.run(trigger: "test")
            _ = try await harness.job.run(trigger: "test")
            let quiet = try await PlanVersion.current(on: harness.database)
            _ = try await harness.job.run(trigger: "test")
            #expect(try await PlanVersion.current(on: harness.database) == quiet, "nothing changed: same version")
            #expect(quiet != "0" && afterFirst != "0")
            // A booking in Autotask changes the pages.
            let resource = try #require(try await TechnicianRecord.query(on: harness.database).first()?.resourceID)
            let start = harness.now.addingTimeInterval(3 * 86_400)
            _ = try await harness.client.create(
                Appointment(
                    resourceID: resource, startDateTime: start, endDateTime: start.addingTimeInterval(1_800),
                    title: "Calendly: onboarding call"))
            _ = try await harness.job.run(trigger: "test")
            #expect(try await PlanVersion.current(on: harness.database) != quiet)
        }
    }

    @Test(arguments: TestDatabases.all)
    func todaysAppointmentsListTheTechniciansLocalTodayAndStayOutOfTheFixedLane(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            // A technician for whom half an hour from now is still today, locally.
            let now = harness.now
            var chosen: (id: Int, zone: TimeZone)?
            for record in try await TechnicianRecord.query(on: harness.database).all() {
                guard let zone = TimeZone(identifier: record.timeZone) else { continue }
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                if calendar.isDate(now, inSameDayAs: now.addingTimeInterval(3_600)) {
                    chosen = (record.resourceID, zone)
                    break
                }
            }
            let (technician, _) = try #require(chosen, "some office is not within an hour of midnight")
            let today = now.addingTimeInterval(1_800)
            _ = try await harness.client.create(
                Appointment(
                    resourceID: technician, startDateTime: today, endDateTime: today.addingTimeInterval(900),
                    title: "FindTime: quick check today"))
            let tomorrow = now.addingTimeInterval(86_400 + 3_600)
            _ = try await harness.client.create(
                Appointment(
                    resourceID: technician, startDateTime: tomorrow, endDateTime: tomorrow.addingTimeInterval(900),
                    title: "FindTime: tomorrow's call"))
            _ = try await harness.job.run(trigger: "test")
            let web = WebSession(app: harness.app)
            let board = try await workboard(web, technician)
            let external = (board["external"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
            #expect(external.contains("FindTime: quick check today"))
            #expect(!external.contains("FindTime: tomorrow's call"), "only the technician's local today")
            let fixed = (board["fixed"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(!fixed.contains("external"), "Outlook appointments are not fixed appointments")
        }
    }

    @Test(arguments: TestDatabases.all)
    func settingsShowReflowNowItsLastRunAndTheAPIUsage(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let token = try await web.csrf(on: "/settings")
            let reflow = try await web.send(.POST, "/settings/reflow-now", form: ["_csrf": token])
            #expect(reflow.status == .seeOther)
            let page = try await web.send(.GET, "/settings", headers: ["Accept": "text/html"])
            let html = page.body.string
            #expect(html.contains("Reflow succeeded"), "the flash reports the run")
            #expect(html.contains("id=\"last-run\""))
            // In words: when (no raw UTC stamp), who started it, what it did to the calendar.
            #expect(html.contains("less than a minute ago ("), "the last run's time in words")
            #expect(html.contains("started on this page"), "who started the last run")
            #expect(html.contains("new calendar entries"), "what the last run did")
            #expect(html.contains("id=\"usage-meter\""))
            let usage = try #require(
                try await web.send(.GET, "/api/v1/usage", headers: ["Authorization": "Bearer t0ken"]).json()
                    as? [String: Any])
            #expect(usage["connected"] as? Bool == true)
            #expect((usage["requestsThisHour"] as? Int ?? 0) > 100, "the run's requests count against the budget")
            #expect((usage["threshold"] as? Int ?? 0) >= 10_000)
        }
    }

    @Test(arguments: TestDatabases.all)
    func pendingAcceptHoldsNewWorkUntilTheTechnicianAccepts(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let web = WebSession(app: harness.app)
            let workflow = try await web.send(
                .PUT, "/api/v1/settings/workflow", headers: admin,
                json: #"{"requireAcceptance": true, "statusOnStart": "In Progress", "statusOnComplete": "Complete"}"#)
            #expect(workflow.status == .ok)
            let bad = try await web.send(
                .PUT, "/api/v1/settings/workflow", headers: admin,
                json: #"{"requireAcceptance": true, "statusOnStart": "Teleported"}"#)
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("Teleported"))
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let technician = try #require(try await harness.runtime?.technicians().first?.id)
            let board = try await workboard(web, technician)
            #expect(board["pendingAcceptEnabled"] as? Bool == true)
            #expect(order(board).isEmpty, "pending work is not planned")
            let pending = try #require(board["pending"] as? [[String: Any]])
            #expect(pending.count >= 2)
            let (accepted, declined) = (pending[0]["activityId"] as! String, pending[1]["activityId"] as! String)
            #expect(
                try await web.send(.POST, "/api/v1/activities/\(accepted)/start", headers: admin).status == .conflict)
            #expect(try await web.send(.POST, "/api/v1/activities/\(accepted)/accept", headers: admin).status == .ok)
            let declineResponse = try await web.send(
                .POST, "/api/v1/activities/\(declined)/decline", headers: admin,
                json: #"{"reason": "Not my area: needs the network team"}"#)
            #expect(declineResponse.status == .ok)
            let after = try await workboard(web, technician)
            #expect(order(after) == [accepted])
            let remaining = (after["pending"] as? [[String: Any]] ?? []).compactMap { $0["activityId"] as? String }
            #expect(!remaining.contains(accepted) && !remaining.contains(declined))
            let record = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$activityID == declined).first())
            #expect(record.state == "declined" && record.reason == "Not my area: needs the network team")
        }
    }

    @Test(arguments: TestDatabases.all)
    func minMinutesFreeOpensGapsOnTheCalendarButKeepsTheWorkboardOrder(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let web = WebSession(app: harness.app)
            let technicians = try #require(try await harness.runtime?.technicians())
            func orders() async throws -> [[String]] {
                var result: [[String]] = []
                for technician in technicians { result.append(order(try await workboard(web, technician.id))) }
                return result
            }
            func gaps() async throws -> [TimeInterval] {
                let start = RFC3339Day.day(of: harness.now)
                let calendar = try #require(
                    try await web.send(.GET, "/api/v1/calendar?start=\(start)&days=14", headers: admin).json()
                        as? [String: Any])
                var gaps: [TimeInterval] = []
                for row in calendar["technicians"] as? [[String: Any]] ?? [] {
                    let blocks = (row["items"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "activity" }
                        .compactMap { item -> (Date, Date)? in
                            guard let start = (item["start"] as? String).flatMap(RFC3339Day.date),
                                let end = (item["end"] as? String).flatMap(RFC3339Day.date)
                            else { return nil }
                            return (start, end)
                        }.sorted { $0.0 < $1.0 }
                    for (previous, next) in zip(blocks, blocks.dropFirst()) {
                        gaps.append(next.0.timeIntervalSince(previous.1))
                    }
                }
                return gaps
            }
            let orderBefore = try await orders()
            let before = try await gaps()
            #expect(before.contains { $0 < 3600 }, "with no free time, blocks sit close together")
            let saved = try await web.send(
                .PUT, "/api/v1/settings/site", headers: admin, json: #"{"minMinutesFreeBetweenActivities": 60}"#)
            #expect(saved.status == .ok)
            let after = try await gaps()
            #expect(after.count > 20)
            #expect(after.allSatisfy { $0 >= 3600 }, "every gap keeps 60 minutes: \(after.filter { $0 < 3600 })")
            #expect(try await orders() == orderBefore)
        }
    }

    @Test(arguments: TestDatabases.all)
    func theCalendarExplainsBlocksAndTheFixedLaneLabelsImportedCalls(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let web = WebSession(app: harness.app)
            let calendar = try #require(
                try await web.send(.GET, "/api/v1/calendar?view=week", headers: admin).json() as? [String: Any])
            let rows = try #require(calendar["technicians"] as? [[String: Any]])
            #expect(rows.count == 12)
            let activities = rows.flatMap { $0["items"] as? [[String: Any]] ?? [] }.filter {
                $0["kind"] as? String == "activity"
            }
            #expect(!activities.isEmpty)
            for item in activities {
                let explanation = item["explanation"] as? String ?? ""
                #expect(explanation.hasPrefix("Position \(item["position"] as? Int ?? -1) of"), "\(explanation)")
            }
            var imported = 0
            for technician in try #require(try await harness.runtime?.technicians()) {
                let fixed = try await workboard(web, technician.id)["fixed"] as? [[String: Any]] ?? []
                imported +=
                    fixed.filter { $0["kind"] as? String == "imported" && $0["imported"] as? Bool == true }.count
            }
            #expect(imported > 0, "the demo's TimeZest calls show as imported")
            let page = WebSession(app: harness.app)
            try await page.login("admin", ServerHarness.password)
            let html = try await page.send(.GET, "/calendar?view=day", headers: ["Accept": "text/html"])
            #expect(html.status == .ok)
            #expect(
                html.body.string.contains(#"data-kind="activity""#) || html.body.string.contains(#"data-kind="free""#))
        }
    }
}

/// Dates as the API writes them.
enum RFC3339Day {
    static func day(of instant: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: instant)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
