import AutotaskSandbox
import Fluent
import Foundation
import LiftoffCore
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// Booking teams by Autotask queue (issue 13, docs/booking.md, *Appointment types*): a full import
/// reads who works which queue (`ResourceRoleQueues`), a type may name a queue instead of a list, and
/// then offers, links and books only that queue's technicians.
@Suite(.serialized) struct QueueTeamTests {
    static let serviceDesk = 29_683_354
    static let monitoring = 29_683_355
    static let maria = 29_682_885

    @Test func membershipsBecomeTeams() {
        let teams = QueueTeams.teams(
            from: [
                (queueID: 1, resourceID: 10, isActive: true), (queueID: 1, resourceID: 11, isActive: nil),
                (queueID: 1, resourceID: 12, isActive: false), (queueID: 2, resourceID: 99, isActive: true),
                (queueID: nil, resourceID: 10, isActive: true), (queueID: 3, resourceID: nil, isActive: true),
                (queueID: 1, resourceID: 10, isActive: true),
            ], labels: ["1": "Service Desk"], technicians: [10, 11, 12])
        #expect(
            teams == [
                QueueTeam(id: 2, name: "Queue 2", members: []),
                QueueTeam(id: 1, name: "Service Desk", members: [10, 11]),
            ], "inactive rows and unknown resources are no members; an empty queue stays listed")
    }

    @Test(arguments: TestDatabases.all)
    func aTypeForAQueueBooksOnlyWhoWorksIt(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let teams = try await QueueTeams.load(on: harness.database)
            let monitoring = try #require(teams.first { $0.id == Self.monitoring })
            #expect(monitoring.name == "Monitoring Alerts")
            let pune = try await TechnicianRecord.query(on: harness.database).filter(\.$timeZone == "Asia/Kolkata")
                .all().map(\.resourceID).sorted()
            #expect(!pune.isEmpty && monitoring.members == pune, "the demo's NOC in Pune works Monitoring Alerts")
            #expect(teams.first { $0.id == Self.serviceDesk }?.members.contains(Self.maria) == true)

            let created = try AppointmentTypeAPITests.object(
                try await AppointmentTypeAPITests.send(
                    harness, .POST, "/api/v1/appointment-types",
                    #"{"name": "NOC call", "lengthMinutes": 30, "queueId": \#(Self.monitoring)}"#))
            #expect(created["queueId"] as? Int == Self.monitoring)
            let id = try #require(created["id"] as? String)
            let answer = try AppointmentTypeAPITests.object(
                try await AppointmentTypeAPITests.send(harness, .GET, "/api/v1/availability?appointmentTypeId=\(id)"))
            let offered = Set((answer["slots"] as? [[String: Any]] ?? []).compactMap { $0["technicianId"] as? Int })
            #expect(!offered.isEmpty && offered.isSubset(of: Set(pune)), "only the queue's technicians: \(offered)")

            // A link for a technician outside the queue is refused; a team link books a member.
            let ticket = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$state == "open").first()
            ).ticketID
            let outside = try await AppointmentTypeAPITests.send(
                harness, .POST, "/api/v1/booking-links",
                #"{"ticketId": \#(ticket), "appointmentTypeId": "\#(id)", "technicianId": \#(Self.maria)}"#)
            #expect(outside.status == .badRequest)
            #expect(outside.body.string.contains("is not one of the technicians “NOC call” books"))
            let link = try AppointmentTypeAPITests.object(
                try await AppointmentTypeAPITests.send(
                    harness, .POST, "/api/v1/booking-links",
                    #"{"ticketId": \#(ticket), "appointmentTypeId": "\#(id)"}"#))
            let path = try #require(link["path"] as? String)
            let customer = WebSession(app: harness.app)
            let page = try await customer.send(.GET, path, headers: ["Accept": "text/html"])
            let start = try #require(BookingFlowTests.times(page.body.string).first)
            let csrf = try await customer.csrf(on: path)
            let booked = try await customer.send(
                .POST, path, headers: ["Accept": "text/html"], form: BookingFlowTests.form(csrf, start: start))
            #expect(booked.status == .seeOther, "\(booked.body.string.prefix(300))")
            let booking = try #require(try await BookingRecord.query(on: harness.database).first())
            #expect(pune.contains(booking.resourceID), "booked with a member of the queue")
        }
    }

    @Test(arguments: TestDatabases.all)
    func aWrongQueueIsNamedWithTheKnownOnes(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            let before = try await AppointmentTypeAPITests.send(
                harness, .POST, "/api/v1/appointment-types", #"{"name": "T", "lengthMinutes": 30, "queueId": 1}"#)
            #expect(before.status == .badRequest)
            #expect(before.body.string.contains("none is imported yet"))
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let unknown = try await AppointmentTypeAPITests.send(
                harness, .POST, "/api/v1/appointment-types", #"{"name": "T", "lengthMinutes": 30, "queueId": 1}"#)
            #expect(unknown.status == .badRequest)
            #expect(unknown.body.string.contains("queueId: 1 is not an Autotask queue Liftoff knows"))
            #expect(unknown.body.string.contains("Service Desk (\(Self.serviceDesk))"))
            let both = try await AppointmentTypeAPITests.send(
                harness, .POST, "/api/v1/appointment-types",
                #"{"name": "T", "lengthMinutes": 30, "queueId": \#(Self.serviceDesk), "technicianIds": [\#(Self.maria)]}"#
            )
            #expect(both.status == .badRequest)
            #expect(both.body.string.contains("give technicianIds or queueId, not both"))
            #expect(try await AppointmentTypeRecord.query(on: harness.database).count() == 0)
        }
    }

    @Test func theSettingsPageOffersTheQueuesAndSaysWhoIsInOne() async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let form = try await web.send(.GET, "/settings/appointment-types", headers: ["Accept": "text/html"])
            #expect(
                form.body.string.contains(
                    #"<option value="\#(Self.monitoring)">Monitoring Alerts (3 technicians)</option>"#))
            let token = try await web.csrf(on: "/settings/appointment-types")
            let saved = try await web.send(
                .POST, "/settings/appointment-types", headers: ["Accept": "text/html"],
                form: [
                    "_csrf": token, "name": "NOC call", "lengthMinutes": "30", "location": "remote",
                    "startIncrementMinutes": "15", "noticeAmount": "0", "noticeUnit": "minutes",
                    "bookingWindowDays": "14", "mode": "gapsOnly", "ticketStatus": "",
                    "queueId": String(Self.monitoring),
                ])
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(400))")
            let page = try await web.send(.GET, "/settings/appointment-types", headers: ["Accept": "text/html"])
            #expect(page.body.string.contains("Queue Monitoring Alerts: Aditya Kulkarni, Sneha Deshpande, Rohan Joshi"))
        }
    }
}
