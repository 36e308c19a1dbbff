import AutotaskAPI
import AutotaskSandbox
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// Undo after a Workboard action: the activity and its ticket get their earlier state back, the PSA
/// write is withdrawn while it still waits and followed by the earlier status once written, and the
/// Undo is offered once, for ``ActivityWorkflow/undoWindow``, only while nobody acted since.
@Suite(.serialized) struct WorkboardUndoTests {
    let admin: HTTPHeaders = ["Authorization": "Bearer t0ken"]

    /// An open activity whose ticket is not In Progress (8), so Start changes the ticket.
    func openActivity(_ harness: ServerHarness) async throws -> NextActivityRecord {
        let activities = try await NextActivityRecord.query(on: harness.database).filter(\.$state == "open")
            .filter(\.$startedAt == nil).sort(\.$activityID).all()
        for activity in activities {
            let ticket = try await TicketRecord.query(on: harness.database).filter(\.$ticketID == activity.ticketID)
                .first()
            if ticket?.status != 8 { return activity }
        }
        throw TestFailure("no open activity on a ticket that is not In Progress")
    }

    /// Imported, with writing off (so a queued status waits in the outbox), and an open activity.
    func previewWithAnOpenActivity(_ harness: ServerHarness) async throws -> NextActivityRecord {
        _ = try await harness.job.run(trigger: "test", fullImport: true)
        try await WritingSwitch.set(.off, by: "test", at: harness.now, on: harness.database)
        return try await openActivity(harness)
    }

    func answer(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    func undo(_ web: WebSession, _ activity: String, _ id: Any?) async throws -> TestingHTTPResponse {
        try await web.send(
            .POST, "/api/v1/activities/\(activity)/undo", headers: admin,
            json: #"{"undoId":"\#(id.map { "\($0)" } ?? "")"}"#)
    }

    @Test(arguments: TestDatabases.all)
    func undoWithdrawsAStatusThatHasNotLeftAndRestoresTheActivity(_ kind: String) async throws {
        try await ServerHarness.run(kind, web: true) { harness in
            // Preview: nothing leaves for Autotask, so the status is still waiting when Undo comes.
            let activity = try await previewWithAnOpenActivity(harness)
            let web = WebSession(app: harness.app)
            let ticketBefore = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$ticketID == activity.ticketID).first()
            ).status

            let started = try answer(
                try await web.send(.POST, "/api/v1/activities/\(activity.activityID)/start", headers: admin))
            #expect(started["state"] as? String == "started")
            #expect(started["undoSeconds"] as? Int == Int(ActivityWorkflow.undoWindow))
            let undoID = try #require(started["undoId"] as? String)

            let response = try await undo(web, activity.activityID, undoID)
            #expect(response.status == .ok, "\(response.body.string)")
            let undone = try answer(response)
            #expect(undone["state"] as? String == "open")
            #expect(undone["ticket"] as? String == "withdrawn")
            let stored = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$activityID == activity.activityID)
                    .first())
            #expect(stored.state == "open" && stored.startedAt == nil)
            let ticket = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$ticketID == activity.ticketID).first())
            #expect(ticket.status == ticketBefore, "the ticket's status in the Store goes back too")
            let waiting = try await TicketUpdateRecord.query(on: harness.database).filter(\.$state == "pending").count()
            #expect(waiting == 0, "a withdrawn status never reaches Autotask")
            let audit = try await AuditRecord.query(on: harness.database).filter(\.$action == "undo").all()
            #expect(audit.count == 1 && audit.first?.detail.contains("withdrawn") == true)

            // Once only.
            let twice = try await undo(web, activity.activityID, undoID)
            #expect(twice.status == .conflict && twice.body.string.contains("already been undone"))
        }
    }

    /// Start, then Complete before Start's status left (it is superseded), then Undo of Complete:
    /// Complete's status is withdrawn and Start's goes out after all, so Autotask ends In Progress
    /// like the Store.
    @Test func undoingALaterActionSendsTheStatusItHadSuperseded() async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            let activity = try await previewWithAnOpenActivity(harness)
            let web = WebSession(app: harness.app)
            let id = activity.activityID
            _ = try await web.send(.POST, "/api/v1/activities/\(id)/start", headers: admin)
            let completed = try answer(try await web.send(.POST, "/api/v1/activities/\(id)/complete", headers: admin))
            let undone = try answer(try await undo(web, id, completed["undoId"]))
            #expect(undone["state"] as? String == "started")
            let updates = try await TicketUpdateRecord.query(on: harness.database).sort(\.$createdAt).all()
            #expect(updates.map(\.state).sorted() == ["pending", "withdrawn"], "\(updates.map(\.state))")
            #expect(updates.first { $0.state == "pending" }?.status == 8, "Start's In Progress goes out after all")
            let ticket = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$ticketID == activity.ticketID).first())
            #expect(ticket.status == 8)
        }
    }

    @Test(arguments: TestDatabases.all)
    func undoAfterTheStatusWasWrittenQueuesTheEarlierStatus(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let web = WebSession(app: harness.app)
            let activity = try await openActivity(harness)
            let statusBefore = try #require(
                try await harness.client.query(Ticket.self, filter: [.eq("id", .integer(activity.ticketID))]).first?
                    .status)
            let started = try answer(
                try await web.send(.POST, "/api/v1/activities/\(activity.activityID)/start", headers: admin))
            try await WorkboardWorkflowTests.waitUntilWritten(harness)
            #expect(
                try await harness.client.query(Ticket.self, filter: [.eq("id", .integer(activity.ticketID))]).first?
                    .status == 8)

            let undone = try answer(try await undo(web, activity.activityID, started["undoId"]))
            #expect(undone["ticket"] as? String == "restored")
            try await WorkboardWorkflowTests.waitUntilWritten(harness)
            #expect(
                try await harness.client.query(Ticket.self, filter: [.eq("id", .integer(activity.ticketID))]).first?
                    .status == statusBefore, "Autotask gets the earlier status back")
        }
    }

    @Test(arguments: TestDatabases.all)
    func undoIsRefusedAfterItsWindowAfterAnotherActionAndForAnotherActivity(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let activity = try await previewWithAnOpenActivity(harness)
            let web = WebSession(app: harness.app)
            let id = activity.activityID

            // Too late.
            let first = try answer(try await web.send(.POST, "/api/v1/activities/\(id)/start", headers: admin))
            harness.clock.advance(by: ActivityWorkflow.undoWindow + 1)
            let late = try await undo(web, id, first["undoId"])
            #expect(late.status == .conflict && late.body.string.contains("ran out"), "\(late.body.string)")

            // Someone acted since: the Undo of Start would throw away the Complete.
            let completed = try answer(
                try await web.send(.POST, "/api/v1/activities/\(id)/complete", headers: admin))
            #expect(completed["state"] as? String == "completed")
            let other = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$activityID != id)
                    .filter(\.$state == "open").first())
            let otherStarted = try answer(
                try await web.send(.POST, "/api/v1/activities/\(other.activityID)/start", headers: admin))
            let wrongActivity = try await undo(web, id, otherStarted["undoId"])
            #expect(wrongActivity.status == .notFound, "an undo id belongs to its own activity")

            let reopen = try answer(try await undo(web, id, completed["undoId"]))
            #expect(reopen["state"] as? String == "started", "Undo of Complete gives back the started activity")
            let stale = try await undo(web, other.activityID, otherStarted["undoId"])
            #expect(stale.status == .ok)
            let notAUUID = try await undo(web, id, "yesterday")
            #expect(notAUUID.status == .badRequest && notAUUID.body.string.contains("undoId"))
        }
    }

    @Test(arguments: TestDatabases.all)
    func aTechnicianCannotUndoOnAnotherTechniciansWorkboard(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let activity = try await previewWithAnOpenActivity(harness)
            let web = WebSession(app: harness.app)
            let started = try answer(
                try await web.send(.POST, "/api/v1/activities/\(activity.activityID)/start", headers: admin))
            let others = try await TechnicianRecord.query(on: harness.database)
                .filter(\.$resourceID != activity.resourceID).first()
            let other = try #require(others)
            try await #require(harness.runtime).addUser(
                username: "tina", displayName: "Tina", password: ServerHarness.password, role: .technician,
                resourceID: other.resourceID)
            let user = try #require(
                try await UserRecord.query(on: harness.database).filter(\.$username == "tina").first())
            let token = try await Accounts.makeToken(
                named: "phone", for: user.requireID(), now: harness.clock.now, on: harness.database)
            let response = try await web.send(
                .POST, "/api/v1/activities/\(activity.activityID)/undo", headers: ["Authorization": "Bearer \(token)"],
                json: #"{"undoId":"\#(started["undoId"] ?? "")"}"#)
            #expect(response.status == .forbidden)
        }
    }

    /// Without JavaScript the page's message after an action carries the Undo button.
    @Test(arguments: TestDatabases.all)
    func thePageOffersUndoBesideTheActionsMessage(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let activity = try await previewWithAnOpenActivity(harness)
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let page = "/workboard/\(activity.resourceID)"
            let csrf = try await web.csrf(on: page)
            let acted = try await web.send(
                .POST, "\(page)/activities/\(activity.activityID)/start", form: ["_csrf": csrf])
            #expect(acted.status == .seeOther)
            let after = try await web.send(.GET, page, headers: ["Accept": "text/html"]).body.string
            let undoForm = #"action="\#(page)/activities/\#(activity.activityID)/undo""#
            #expect(after.contains(undoForm), "the message after Start offers Undo")
            let idRange = try #require(
                after.range(of: #"name="undoId" value="[0-9A-F-]+""#, options: .regularExpression))
            let undoID = after[idRange].split(separator: "\"").last.map(String.init) ?? ""
            let undone = try await web.send(
                .POST, "\(page)/activities/\(activity.activityID)/undo", form: ["_csrf": csrf, "undoId": undoID])
            #expect(undone.status == .seeOther)
            let final = try await web.send(.GET, page, headers: ["Accept": "text/html"]).body.string
            #expect(final.contains("Undone: \(activity.activityID) is open again."))
            #expect(!final.contains(undoForm), "the Undo is offered once")
            let stored = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$activityID == activity.activityID)
                    .first())
            #expect(stored.state == "open" && stored.startedAt == nil)
        }
    }
}
