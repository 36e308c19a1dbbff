import AutotaskAPI
import AutotaskSandbox
import Fluent
import Foundation
import LiftoffCore
import Testing
import Vapor
import VaporTesting

@testable import LiftoffServer

/// The public booking page end to end (issue 13, docs/booking.md): a customer books a time the plan
/// keeps free, the plan treats it as fixed at once, two customers racing for one time get one booking,
/// a bad link changes nothing, and moving or cancelling works until the minimum notice.
@Suite(.serialized) struct BookingFlowTests {
    static let maria = 29_682_885

    /// A type and a link for one of Maria's tickets; the link's path.
    static func link(
        _ harness: ServerHarness, type body: String = #"{"name": "Remote session", "lengthMinutes": 30}"#,
        technician: Int? = maria, ticketIndex: Int = 0
    ) async throws -> (path: String, linkID: String, ticketID: Int) {
        let type = try AppointmentTypeAPITests.object(
            try await AppointmentTypeAPITests.send(harness, .POST, "/api/v1/appointment-types", body))
        let typeID = try #require(type["id"] as? String)
        let activities = try await NextActivityRecord.query(on: harness.database).filter(\.$resourceID == maria)
            .filter(\.$state == "open").sort(\.$activityID).all()
        let ticket = activities[ticketIndex].ticketID
        let technicianField = technician.map { #", "technicianId": \#($0)"# } ?? ""
        let answer = try await AppointmentTypeAPITests.send(
            harness, .POST, "/api/v1/booking-links",
            #"{"ticketId": \#(ticket), "appointmentTypeId": "\#(typeID)"\#(technicianField)}"#)
        #expect(answer.status == .created, "\(answer.body.string)")
        let link = try AppointmentTypeAPITests.object(answer)
        return (try #require(link["path"] as? String), try #require(link["id"] as? String), ticket)
    }

    /// A reflow through the server's coordinator: a booking asks for one a few seconds later, and two
    /// runs at once would find the Store's reflow lease taken.
    static func reflow(_ harness: ServerHarness) async throws -> CalendarReflowJob.Summary {
        try await #require(harness.runtime).reflowNow(trigger: "test")
    }

    /// The times a booking page offers, as its radio buttons' values.
    static func times(_ page: String) -> [String] {
        let pattern = #/name="start" value="([^"]+)"/#
        return page.matches(of: pattern).map { String($0.output.1) }
    }

    /// A time the move page offers other than the booked one — on another day when the booked day
    /// has no other (late in a technician's day it may not).
    static func anotherTime(_ confirmation: String, _ customer: WebSession, _ harness: ServerHarness)
        async throws -> String
    {
        let booked = try #require(try await BookingRecord.query(on: harness.database).first())
        let start = RFC3339.format(CalendarReflowJob.instant(booked.start))
        let page = try await customer.send(
            .GET, confirmation + "/reschedule?zone=Europe/London", headers: ["Accept": "text/html"])
        if let other = times(page.body.string).last(where: { $0 != start }) { return other }
        let day = try #require(
            page.body.string.matches(of: #/reschedule\?day=([0-9-]+)/#).map { String($0.output.1) }.last)
        let next = try await customer.send(
            .GET, confirmation + "/reschedule?day=\(day)&zone=Europe/London", headers: ["Accept": "text/html"])
        return try #require(times(next.body.string).first, "the move page offers another time")
    }

    static func form(_ csrf: String, start: String, name: String = "Hannah Hart") -> [String: String] {
        [
            "_csrf": csrf, "start": start, "name": name, "email": "hannah@example.com", "phone": "+1 555 0100",
            "note": "After lunch, please", "zone": "Europe/London",
        ]
    }

    @Test(arguments: TestDatabases.all)
    func aCustomerBooksTheNextActivitiesMoveAroundItAndCancellingFreesIt(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let (path, _, ticket) = try await Self.link(harness)
            let customer = WebSession(app: harness.app)
            let page = try await customer.send(.GET, path + "?zone=Europe/London", headers: ["Accept": "text/html"])
            #expect(page.status == .ok)
            let offered = Self.times(page.body.string)
            let start = try #require(offered.first, "the page offers times: \(page.body.string.prefix(600))")
            #expect(page.body.string.contains("with Maria Gonzalez"))
            let csrf = try await customer.csrf(on: path)
            let booked = try await customer.send(
                .POST, path, headers: ["Accept": "text/html"], form: Self.form(csrf, start: start))
            #expect(booked.status == .seeOther, "\(booked.body.string.prefix(600))")
            let confirmation = try #require(booked.headers.first(name: .location))
            #expect(confirmation.hasPrefix("/bookings/"))

            let booking = try #require(try await BookingRecord.query(on: harness.database).first())
            #expect(booking.state == "open" && booking.resourceID == Self.maria && booking.ticketID == ticket)
            #expect(RFC3339.format(CalendarReflowJob.instant(booking.start)) == start)
            #expect(booking.customerZone == "Europe/London" && booking.customerPhone == "+1 555 0100")

            // The plan treats it as fixed at once: no Next Activity block overlaps it.
            let plan = try await harness.plan()
            let blocks = try #require(plan.technicians.first { $0.id == String(Self.maria) }).calendar
            for block in blocks {
                #expect(
                    !(block.start.date < booking.end && booking.start < block.end.date),
                    "block \(block.activityId) overlaps the booking")
            }
            let board = try AppointmentTypeAPITests.object(
                try await AppointmentTypeAPITests.send(harness, .GET, "/api/v1/technicians/\(Self.maria)/workboard"))
            let fixed = try #require(board["fixed"] as? [[String: Any]])
            let item = try #require(fixed.first { ($0["title"] as? String)?.contains("Hannah Hart") == true })
            #expect(item["imported"] as? Bool == false, "Liftoff's own booking is not labelled Imported")
            #expect(item["kind"] as? String == "fixed")

            // The time is no longer offered; the confirmation page says what was booked.
            let again = try await customer.send(.GET, path + "?zone=Europe/London", headers: ["Accept": "text/html"])
            #expect(!Self.times(again.body.string).contains(start))
            let shown = try await customer.send(.GET, confirmation, headers: ["Accept": "text/html"])
            #expect(shown.body.string.contains("You are booked"))
            #expect(shown.body.string.contains("(Europe/London)"))
            let ics = try await customer.send(.GET, confirmation + "/booking.ics")
            #expect(ics.headers.contentType?.description.hasPrefix("text/calendar") == true)
            #expect(ics.body.string.contains("DTSTART;TZID=Europe/London:"))
            #expect(ics.body.string.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/London"))

            // Cancelling frees the time and takes it out of the plan.
            let cancelCSRF = try await customer.csrf(on: confirmation)
            let cancelled = try await customer.send(
                .POST, confirmation + "/cancel", headers: ["Accept": "text/html"], form: ["_csrf": cancelCSRF])
            #expect(cancelled.status == .seeOther)
            let after = try #require(try await BookingRecord.find(booking.id, on: harness.database))
            #expect(after.state == "canceled" && after.sequence == 1)
            #expect(try await BusyItemRecord.query(on: harness.database).filter(\.$kind == "fixed").count() == 0)
            let freed = try await customer.send(.GET, path + "?zone=Europe/London", headers: ["Accept": "text/html"])
            #expect(Self.times(freed.body.string).contains(start), "the cancelled time is offered again")
            let cancelledICS = try await customer.send(.GET, confirmation + "/booking.ics")
            #expect(cancelledICS.body.string.contains("STATUS:CANCELLED"))
            #expect(cancelledICS.body.string.contains("SEQUENCE:1"))
        }
    }

    /// Book → a service call owned by Liftoff with its ticket and resource links and the type's ticket
    /// status; Calendar Reflow never moves it; a move or a delete in Autotask is followed; the
    /// customer's own move and cancel reach the call.
    @Test(arguments: TestDatabases.all)
    func aBookingIsWrittenToAutotaskAndLiftoffFollowsTheCall(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let (path, _, ticket) = try await Self.link(
                harness, type: #"{"name": "Remote session", "lengthMinutes": 30, "ticketStatus": "Dispatched"}"#)
            let customer = WebSession(app: harness.app)
            let offered = Self.times(try await customer.send(.GET, path, headers: ["Accept": "text/html"]).body.string)
            let booked = try await customer.send(
                .POST, path, headers: ["Accept": "text/html"],
                form: Self.form(try await customer.csrf(on: path), start: try #require(offered.first)))
            let confirmation = try #require(booked.headers.first(name: .location))
            let booking = try #require(try await BookingRecord.query(on: harness.database).first())

            _ = try await Self.reflow(harness)
            func bookedCall() async -> JSONObject? {
                await harness.serviceCalls().first {
                    ($0.string("description") ?? "").contains("booked by Hannah Hart")
                }
            }
            let call = try #require(await bookedCall(), "the booking is a service call in Autotask")
            let callID = try #require(call.int("id"))
            #expect(call.date("startDateTime") == booking.start && call.date("endDateTime") == booking.end)
            #expect(call.string("description")?.contains("[liftoff:") == true, "owned by Liftoff: it has the marker")
            #expect(call.string("description")?.contains("After lunch, please") == true, "with the customer's note")
            let records = await harness.sandbox.records()
            let ticketLink = try #require(
                records["ServiceCallTickets"]?.first {
                    $0.int("serviceCallID") == callID && $0.int("ticketID") == ticket
                })
            #expect(
                records["ServiceCallTicketResources"]?.contains {
                    $0.int("serviceCallTicketID") == ticketLink.int("id") && $0.int("resourceID") == Self.maria
                } == true, "linked to the technician")
            #expect(
                records["Tickets"]?.first { $0.int("id") == ticket }?.int("status") == 10,
                "the ticket has the type's status (Dispatched)")

            // Reflow plans around it and never moves it, also an hour later.
            harness.clock.advance(by: 3600)
            _ = try await Self.reflow(harness)
            #expect(await bookedCall()?.date("startDateTime") == booking.start)

            // A dispatcher moves the call in Autotask: the booking follows instead of reverting it.
            let later = booking.start.addingTimeInterval(7200)
            _ = try await harness.client.update(
                ServiceCall.self, id: callID,
                fields: ["startDateTime": .date(later), "endDateTime": .date(later.addingTimeInterval(1800))])
            _ = try await Self.reflow(harness)
            let followed = try #require(try await BookingRecord.find(booking.id, on: harness.database))
            #expect(followed.start == later && followed.sequence == 1 && followed.state == "open")
            #expect(
                try await BusyItemRecord.query(on: harness.database).filter(\.$kind == "fixed").first()?.start == later)
            #expect(await bookedCall()?.date("startDateTime") == later, "and Liftoff does not move it back")

            // The customer cancels: the call goes.
            let csrf = try await customer.csrf(on: confirmation)
            _ = try await customer.send(
                .POST, confirmation + "/cancel", headers: ["Accept": "text/html"], form: ["_csrf": csrf])
            _ = try await Self.reflow(harness)
            #expect(await bookedCall() == nil, "a cancelled booking's call is deleted")
        }
    }

    @Test(arguments: TestDatabases.all)
    func aBookedCallDeletedInAutotaskCancelsTheBooking(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let (path, _, _) = try await Self.link(harness)
            let customer = WebSession(app: harness.app)
            let offered = Self.times(try await customer.send(.GET, path, headers: ["Accept": "text/html"]).body.string)
            _ = try await customer.send(
                .POST, path, headers: ["Accept": "text/html"],
                form: Self.form(try await customer.csrf(on: path), start: try #require(offered.first)))
            _ = try await Self.reflow(harness)
            let call = try #require(
                await harness.serviceCalls().first {
                    ($0.string("description") ?? "").contains("booked by Hannah Hart")
                })
            // Moved far beyond the import's window is a move, not a delete.
            let callID = try #require(call.int("id"))
            let far = harness.now.addingTimeInterval(60 * 86_400)
            _ = try await harness.client.update(
                ServiceCall.self, id: callID,
                fields: ["startDateTime": .date(far), "endDateTime": .date(far.addingTimeInterval(1800))])
            _ = try await Self.reflow(harness)
            let moved = try #require(try await BookingRecord.query(on: harness.database).first())
            #expect(moved.state == "open" && moved.start == far, "a call moved out of the window is followed")
            try await harness.client.delete(ServiceCall.self, id: callID)
            _ = try await Self.reflow(harness)
            let booking = try #require(try await BookingRecord.query(on: harness.database).first())
            #expect(booking.state == "canceled")
            #expect(try await BusyItemRecord.query(on: harness.database).filter(\.$kind == "fixed").count() == 0)
            _ = try await Self.reflow(harness)
            #expect(
                await harness.serviceCalls().contains { ($0.string("description") ?? "").contains("Hannah Hart") }
                    == false, "nothing re-creates it")
        }
    }

    @Test(arguments: TestDatabases.all)
    func twoCustomersRacingForOneTimeGetOneBooking(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            // Two customers, two tickets, one technician: two links offering the same times.
            let (path, _, _) = try await Self.link(harness)
            let (other, _, _) = try await Self.link(harness, ticketIndex: 1)
            let first = WebSession(app: harness.app)
            let second = WebSession(app: harness.app)
            let page = try await first.send(.GET, path, headers: ["Accept": "text/html"])
            let start = try #require(Self.times(page.body.string).first)
            let otherPage = try await second.send(.GET, other, headers: ["Accept": "text/html"])
            #expect(Self.times(otherPage.body.string).contains(start))
            let tokens = (try await first.csrf(on: path), try await second.csrf(on: other))
            let answers = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                group.addTask {
                    try await first.send(
                        .POST, path, headers: ["Accept": "text/html"],
                        form: Self.form(tokens.0, start: start, name: "First"))
                }
                group.addTask {
                    try await second.send(
                        .POST, other, headers: ["Accept": "text/html"],
                        form: Self.form(tokens.1, start: start, name: "Second"))
                }
                return try await group.reduce(into: [TestingHTTPResponse]()) { $0.append($1) }
            }
            let statuses = answers.map(\.status.code).sorted()
            #expect(statuses == [303, 409], "one wins, one is told: \(statuses)")
            let loser = try #require(answers.first { $0.status == .conflict })
            #expect(loser.body.string.contains("that time was just taken"))
            #expect(!Self.times(loser.body.string).isEmpty, "the loser is offered the nearest free times")
            #expect(!Self.times(loser.body.string).contains(start))
            #expect(loser.body.string.contains(#"value="hannah@example.com""#), "what they typed stays")
            #expect(try await BookingRecord.query(on: harness.database).count() == 1)
            #expect(try await BusyItemRecord.query(on: harness.database).filter(\.$kind == "fixed").count() == 1)
        }
    }

    @Test func aLinkBooksOnce() async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let (path, _, _) = try await Self.link(harness)
            let customer = WebSession(app: harness.app)
            let page = try await customer.send(.GET, path, headers: ["Accept": "text/html"]).body.string
            let offered = Self.times(page)
            try #require(!offered.isEmpty, "\(page.prefix(1500))")
            let csrf = try await customer.csrf(on: path)
            let first = try await customer.send(
                .POST, path, headers: ["Accept": "text/html"], form: Self.form(csrf, start: offered[0]))
            #expect(first.status == .seeOther)
            let again = try await customer.send(
                .POST, path, headers: ["Accept": "text/html"], form: Self.form(csrf, start: offered[0]))
            #expect(again.status == .gone)
            #expect(again.body.string.contains("already booked with this link"))
            #expect(try await BookingRecord.query(on: harness.database).count() == 1)
        }
    }

    @Test(arguments: TestDatabases.all)
    func aTamperedExpiredOrRevokedLinkGetsAClearPageAndChangesNothing(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let (path, linkID, _) = try await Self.link(harness)
            let customer = WebSession(app: harness.app)
            let start = try #require(
                Self.times(try await customer.send(.GET, path, headers: ["Accept": "text/html"]).body.string).first)
            let csrf = try await customer.csrf(on: path)
            // One character of the signature changed.
            let last = path.last == "A" ? "B" : "A"
            let tampered = String(path.dropLast()) + last
            let page = try await customer.send(.GET, tampered, headers: ["Accept": "text/html"])
            #expect(page.status == .notFound)
            #expect(page.body.string.contains("This link does not work"))
            let posted = try await customer.send(
                .POST, tampered, headers: ["Accept": "text/html"], form: Self.form(csrf, start: start))
            #expect(posted.status == .notFound)
            // No CSRF token: refused before anything is read.
            var withoutToken = Self.form(csrf, start: start)
            withoutToken["_csrf"] = nil
            let forged = try await customer.send(.POST, path, headers: ["Accept": "text/html"], form: withoutToken)
            #expect(forged.status == .forbidden)
            // Revoked.
            #expect(
                try await AppointmentTypeAPITests.send(harness, .DELETE, "/api/v1/booking-links/\(linkID)").status
                    == .noContent)
            let revoked = try await customer.send(.GET, path, headers: ["Accept": "text/html"])
            #expect(revoked.status == .gone)
            #expect(revoked.body.string.contains("withdrawn"))
            let late = try await customer.send(
                .POST, path, headers: ["Accept": "text/html"], form: Self.form(csrf, start: start))
            #expect(late.status == .gone)
            // Expired: a new link, fifteen days later.
            let (fresh, _, _) = try await Self.link(harness, type: #"{"name": "Call", "lengthMinutes": 15}"#)
            harness.clock.advance(by: 15 * 86_400)
            let expired = try await customer.send(.GET, fresh, headers: ["Accept": "text/html"])
            #expect(expired.status == .gone)
            #expect(expired.body.string.contains("expired"))
            #expect(try await BookingRecord.query(on: harness.database).count() == 0)
        }
    }

    @Test(arguments: TestDatabases.all)
    func aTeamLinkKeepsTheTechnicianWhenTheCustomerMovesTheBooking(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let (path, _, _) = try await Self.link(harness, technician: nil)
            let customer = WebSession(app: harness.app)
            let offered = Self.times(
                try await customer.send(.GET, path, headers: ["Accept": "text/html"]).body.string)
            let csrf = try await customer.csrf(on: path)
            let booked = try await customer.send(
                .POST, path, headers: ["Accept": "text/html"], form: Self.form(csrf, start: try #require(offered.first))
            )
            let confirmation = try #require(booked.headers.first(name: .location))
            let booking = try #require(try await BookingRecord.query(on: harness.database).first())
            let technician = booking.resourceID
            _ = try await Self.reflow(harness)  // the call exists before the customer moves it

            let picker = try await customer.send(
                .GET, confirmation + "/reschedule?zone=Europe/London", headers: ["Accept": "text/html"])
            #expect(picker.status == .ok)
            #expect(picker.body.string.contains("Now booked:"))
            let later = try await Self.anotherTime(confirmation, customer, harness)
            let moveCSRF = try await customer.csrf(on: confirmation + "/reschedule")
            let moved = try await customer.send(
                .POST, confirmation + "/reschedule", headers: ["Accept": "text/html"],
                form: ["_csrf": moveCSRF, "start": later, "zone": "Europe/London"])
            #expect(moved.status == .seeOther, "\(moved.body.string.prefix(400))")
            let after = try #require(try await BookingRecord.find(booking.id, on: harness.database))
            #expect(RFC3339.format(CalendarReflowJob.instant(after.start)) == later)
            #expect(after.sequence == 1)
            let runtime = try #require(harness.runtime)
            let service = Bookings(
                database: harness.database, planCache: runtime.planCache, tokens: BookingToken(box: runtime.box),
                now: harness.now)
            let link = try #require(try await BookingLinkRecord.find(booking.linkID, on: harness.database))
            let type = try #require(try await AppointmentTypes.find(booking.appointmentTypeID, on: harness.database))
            let snapshot = try await runtime.planCache.current(on: harness.database)
            let free =
                service.offers(
                    link: link, type: type, snapshot: snapshot, bookings: [], from: after.start,
                    to: after.start.addingTimeInterval(1)
                ).first?.technicians ?? []
            if free.contains(technician) {
                #expect(after.resourceID == technician, "the same technician keeps the booking when free")
            }
            #expect(
                try await BusyItemRecord.query(on: harness.database).filter(\.$kind == "fixed").all().map(\.start) == [
                    after.start
                ])
            let ics = try await customer.send(.GET, confirmation + "/booking.ics")
            #expect(ics.body.string.contains("SEQUENCE:1"))
            // The move reaches Autotask: one call for the booking, at the new time.
            _ = try await Self.reflow(harness)
            let calls = await harness.serviceCalls().filter {
                ($0.string("description") ?? "").contains("booked by Hannah Hart")
            }
            #expect(calls.map { $0.date("startDateTime") } == [after.start])
        }
    }

    @Test func movingAndCancellingEndAtTheMinimumNotice() async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let (path, _, _) = try await Self.link(
                harness,
                type: #"{"name": "Call", "lengthMinutes": 30, "minimumNotice": {"unit": "hours", "amount": 2}}"#)
            let customer = WebSession(app: harness.app)
            let start = try #require(
                Self.times(try await customer.send(.GET, path, headers: ["Accept": "text/html"]).body.string).first)
            let booked = try await customer.send(
                .POST, path, headers: ["Accept": "text/html"],
                form: Self.form(try await customer.csrf(on: path), start: start))
            let confirmation = try #require(booked.headers.first(name: .location))
            #expect(try await customer.send(.GET, confirmation).body.string.contains("Cancel the appointment"))
            let csrf = try await customer.csrf(on: confirmation)
            // An hour before the start: inside the two hours' notice.
            let startDate = try #require(Instants.date(start))
            harness.clock.set(startDate.addingTimeInterval(-3600))
            let page = try await customer.send(.GET, confirmation, headers: ["Accept": "text/html"])
            #expect(page.body.string.contains("too close to the appointment"))
            #expect(!page.body.string.contains("Cancel the appointment"))
            _ = try await customer.send(
                .POST, confirmation + "/cancel", headers: ["Accept": "text/html"], form: ["_csrf": csrf])
            #expect(try await BookingRecord.query(on: harness.database).first()?.state == "open")
        }
    }

    @Test func tooManyFormsFromOneAddressAreSlowedDown() async throws {
        try await ServerHarness.run("sqlite", web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let (path, _, _) = try await Self.link(harness)
            let customer = WebSession(app: harness.app)
            let csrf = try await customer.csrf(on: path)
            var statuses: [UInt] = []
            for _ in 0..<31 {
                statuses.append(
                    try await customer.send(.POST, path, headers: ["Accept": "text/html"], form: ["_csrf": csrf]).status
                        .code)
            }
            #expect(statuses.prefix(30).allSatisfy { $0 == 400 }, "a form without a time is a 400 naming it")
            #expect(statuses.last == 429)
        }
    }

    /// *Booking link…* on a Workboard card: the page's message carries a working link for that ticket
    /// and technician.
    @Test(arguments: TestDatabases.all)
    func aWorkboardCardMakesABookingLink(_ database: String) async throws {
        try await ServerHarness.run(database, web: true) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let type = try AppointmentTypeAPITests.object(
                try await AppointmentTypeAPITests.send(
                    harness, .POST, "/api/v1/appointment-types", #"{"name": "Remote session", "lengthMinutes": 30}"#))
            let typeID = try #require(type["id"] as? String)
            let web = WebSession(app: harness.app)
            try await web.login("admin", ServerHarness.password)
            let board = try await web.send(.GET, "/workboard/\(Self.maria)", headers: ["Accept": "text/html"])
            #expect(board.body.string.contains("Booking link…"), "cards offer a booking link once a type exists")
            let ticket = try #require(
                try await NextActivityRecord.query(on: harness.database).filter(\.$resourceID == Self.maria)
                    .filter(\.$state == "open").first()
            ).ticketID
            let csrf = try await web.csrf(on: "/workboard/\(Self.maria)")
            let made = try await web.send(
                .POST, "/workboard/\(Self.maria)/booking-links", headers: ["Accept": "text/html"],
                form: ["_csrf": csrf, "ticketId": String(ticket), "appointmentTypeId": typeID])
            #expect(made.status == .seeOther)
            let page = try await web.send(.GET, "/workboard/\(Self.maria)", headers: ["Accept": "text/html"]).body
                .string
            let path = try #require(page.firstMatch(of: #/(/book/[0-9a-f]{32}-[A-Za-z0-9_-]+)/#)?.output.1)
            #expect(page.contains("send it to the customer"))
            let link = try #require(try await BookingLinkRecord.query(on: harness.database).first())
            #expect(link.ticketID == ticket && link.technicianID == Self.maria && link.createdBy == "admin")
            let customer = WebSession(app: harness.app)
            let offered = try await customer.send(.GET, String(path), headers: ["Accept": "text/html"])
            #expect(offered.status == .ok && !Self.times(offered.body.string).isEmpty)
        }
    }

    @Test func theTechnicianIsTheOneAlreadyOnItTheAssigneeOrTheLeastBooked() {
        func booking(_ resource: Int, hoursAhead: Double) -> BookingRecord {
            let record = BookingRecord()
            record.resourceID = resource
            record.state = "open"
            record.start = Date(timeIntervalSince1970: 1_000_000 + hoursAhead * 3600)
            return record
        }
        let now = Date(timeIntervalSince1970: 1_000_000)
        let bookings = [booking(1, hoursAhead: 1), booking(1, hoursAhead: 2), booking(2, hoursAhead: 3)]
        #expect(
            Bookings.choose(among: [1, 2, 3], keep: 1, assignee: 2, bookings: bookings, now: now, windowDays: 14) == 1)
        #expect(
            Bookings.choose(among: [1, 2, 3], keep: 9, assignee: 2, bookings: bookings, now: now, windowDays: 14) == 2)
        #expect(
            Bookings.choose(among: [1, 2], keep: nil, assignee: 3, bookings: bookings, now: now, windowDays: 14) == 2)
        #expect(Bookings.choose(among: [2, 3], keep: nil, assignee: nil, bookings: [], now: now, windowDays: 14) == 2)
        #expect(Bookings.choose(among: [], keep: nil, assignee: nil, bookings: [], now: now, windowDays: 14) == nil)
    }
}
