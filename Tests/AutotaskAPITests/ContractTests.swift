import AutotaskAPI
import AutotaskSandbox
import Foundation
import LiftoffCore
import Testing

/// The production client against the sandbox over real HTTP: the contract both sides keep.
@Suite struct ContractTests {
    @Test func zoneDiscoveryNeedsNoCredentialsAndLeadsBackToTheSandbox() async throws {
        let harness = try await SandboxHarness.start()
        defer { Task { await harness.stop() } }
        let zone = try await harness.client.zoneInformation()
        #expect(zone.url == "http://127.0.0.1:\(harness.port)/ATServicesRest/")
        let unknown = try await harness.raw(
            "GET", "/atservicesrest/v1.0/zoneInformation?user=nobody@example.com", headers: [:])
        #expect(unknown.status == 500)
        #expect(unknown.text == #"{"errors":["Zone information could not be determined"]}"#)
        await harness.stop()
    }

    @Test func createQueryUpdateAndDeleteAServiceCallWithItsLinks() async throws {
        let harness = try await SandboxHarness.start()
        let client = harness.client
        let start = Date(timeIntervalSince1970: 1_773_151_200)  // 2026-03-10T14:00:00Z
        let callID = try await client.create(
            ServiceCall(
                companyID: 174, description: "Liftoff block [liftoff:NA-1/1]", startDateTime: start,
                endDateTime: start.addingTimeInterval(7200), status: 1))
        let linkID = try await client.create(ServiceCallTicket(serviceCallID: callID, ticketID: 7001))
        let resourceLinkID = try await client.create(
            ServiceCallTicketResource(serviceCallTicketID: linkID, resourceID: 29682885))

        let found = try await client.query(ServiceCall.self, filter: [.contains("description", "[liftoff:NA-1/1]")])
        #expect(found.map(\.id) == [callID])
        #expect(found.first?.startDateTime == start)
        #expect(found.first?.lastModifiedDateTime != nil)
        let links = try await client.query(ServiceCallTicket.self, filter: [.eq("serviceCallID", .integer(callID))])
        #expect(links == [ServiceCallTicket(id: linkID, serviceCallID: callID, ticketID: 7001)])
        let resources = try await client.query(
            ServiceCallTicketResource.self, filter: [.eq("serviceCallTicketID", .integer(linkID))])
        #expect(resources.map(\.resourceID) == [29682885])

        let later = start.addingTimeInterval(3600)
        _ = try await client.update(
            ServiceCall.self, id: callID,
            fields: ["startDateTime": .date(later), "endDateTime": .date(later.addingTimeInterval(7200))])
        let moved = try await client.get(ServiceCall.self, id: callID)
        #expect(moved?.startDateTime == later)
        #expect(moved?.description == "Liftoff block [liftoff:NA-1/1]")

        try await client.delete(ServiceCallTicketResource.self, id: resourceLinkID, parentID: linkID)
        try await client.delete(ServiceCall.self, id: callID)
        #expect(try await client.get(ServiceCall.self, id: callID) == nil)
        #expect(
            try await client.query(ServiceCallTicket.self, filter: [.eq("serviceCallID", .integer(callID))]).isEmpty)
        await harness.stop()
    }

    static let filterCases: [(String, [QueryFilter], [Int])] = [
        ("eq", [.eq("priority", 2)], [7003, 7005]),
        ("noteq", [.noteq("status", 5)], [7001, 7002, 7003, 7005]),
        ("gt", [.gt("priority", 2)], [7001, 7004]),
        ("gte", [.gte("priority", 2)], [7001, 7003, 7004, 7005]),
        ("lt", [.lt("createDate", .string("2026-03-03T00:00:00Z"))], [7001, 7002]),
        ("lte", [.lte("createDate", .date(Date(timeIntervalSince1970: 1_772_539_200)))], [7001, 7002, 7003]),
        ("beginsWith", [.beginsWith("title", "new starter")], [7003]),
        ("endsWith", [.endsWith("title", "FS01")], [7005]),
        ("contains", [.contains("title", "OFFLINE")], [7001]),
        ("exist", [.exist("assignedResourceID")], [7001, 7002, 7004, 7005]),
        ("notExist", [.notExist("assignedResourceID")], [7003]),
        ("in", [.in("status", [1, 7])], [7001, 7003, 7005]),
        ("notIn", [.notIn("companyID", [174])], [7003, 7004]),
        ("top level and", [.eq("companyID", 174), .noteq("status", 5), .lt("priority", 4)], [7002, 7005]),
        ("or", [.or([.eq("priority", 4), .eq("priority", 3)])], [7001, 7004]),
        (
            "or with nested and",
            [.or([.eq("status", 8), .and([.eq("companyID", 175), .eq("priority", 3)])])], [7002, 7004]
        ),
        ("field names in any case", [.eq("COMPANYid", 175)], [7003, 7004]),
    ]

    @Test(arguments: filterCases)
    func everyFilterOperatorSelectsWhatAutotaskWould(name: String, filter: [QueryFilter], expected: [Int]) async throws
    {
        let harness = try await SandboxHarness.start()
        let tickets = try await harness.client.query(Ticket.self, filter: filter)
        #expect(tickets.compactMap(\.id) == expected, "\(name)")
        #expect(try await harness.client.count(Ticket.self, filter: filter) == expected.count)
        await harness.stop()
    }

    @Test func pagingFollowsNextPageURLAcross1200Records() async throws {
        let appointments: [JSONObject] = (1...1200).map { index in
            [
                "id": .integer(Int64(50_000 + index)), "resourceID": 29682885, "title": .string("Meeting \(index)"),
                "startDateTime": "2026-03-10T14:00:00Z", "endDateTime": "2026-03-10T14:30:00Z",
            ]
        }
        var records = SandboxHarness.smallMSP
        records["Appointments"] = appointments
        let harness = try await SandboxHarness.start(records: records)
        var pages: [Int] = []
        try await harness.client.forEachPage(Appointment.self, filter: [.gte("id", 0)]) { pages.append($0.count) }
        #expect(pages == [500, 500, 200])
        let all = try await harness.client.query(
            Appointment.self, filter: [.beginsWith("title", "Meeting")], pageSize: 250)
        #expect(all.count == 1200)
        #expect(all.compactMap(\.id) == (1...1200).map { 50_000 + $0 })
        #expect(try await harness.client.count(Appointment.self, filter: [.exist("id")]) == 1200)
        await harness.stop()
    }

    @Test func picklistsComeFromEntityInformationAndRankBySortOrder() async throws {
        let harness = try await SandboxHarness.start()
        let fields = try await harness.client.fields(Ticket.self)
        let priority = try #require(fields.first { $0.name == "priority" })
        #expect(priority.isPickList == true)
        let ranked = (priority.picklistValues ?? []).sorted { ($0.sortOrder ?? 0) < ($1.sortOrder ?? 0) }.map(\.label)
        #expect(ranked == ["Critical", "High", "Medium", "Low"])
        #expect(priority.picklistValues?.first { $0.label == "Critical" }?.value == "4")
        await harness.stop()
    }

    @Test func validationErrorsKeepAutotasksMessages() async throws {
        let harness = try await SandboxHarness.start()
        await #expect(throws: AutotaskError.validation(messages: ["Field startDateTime is required."], status: 500)) {
            _ = try await harness.client.create(ServiceCall(companyID: 174, endDateTime: Date()))
        }
        await #expect(
            throws: AutotaskError.validation(
                messages: [
                    "Reference value on field: serviceCallID of type: ServiceCalls does not exist or is invalid."
                ], status: 500)
        ) {
            _ = try await harness.client.create(ServiceCallTicket(serviceCallID: 1, ticketID: 7001))
        }
        let call = try await harness.client.create(
            ServiceCall(companyID: 174, startDateTime: Date(), endDateTime: Date().addingTimeInterval(60)))
        await #expect(
            throws: AutotaskError.validation(
                messages: ["Reference value on field: ticketID of type: Tickets does not exist or is invalid."],
                status: 500)
        ) {
            _ = try await harness.client.create(ServiceCallTicket(serviceCallID: call, ticketID: 999))
        }
        await #expect(
            throws: AutotaskError.validation(
                messages: ["The endDateTime must be after the startDateTime."], status: 500)
        ) {
            _ = try await harness.client.create(
                ServiceCall(companyID: 174, startDateTime: Date(), endDateTime: Date().addingTimeInterval(-60)))
        }
        await #expect(
            throws: AutotaskError.validation(
                messages: ["Value 9 for field priority is not a valid picklist value."], status: 500)
        ) {
            _ = try await harness.client.update(Ticket.self, id: 7001, fields: ["priority": 9])
        }
        await harness.stop()
    }

    @Test func missingRecordsAreNotFound() async throws {
        let harness = try await SandboxHarness.start()
        #expect(try await harness.client.get(Ticket.self, id: 123_456) == nil)
        await #expect(throws: AutotaskError.self) { try await harness.client.delete(ServiceCall.self, id: 123_456) }
        do {
            try await harness.client.delete(ServiceCall.self, id: 123_456)
        } catch {
            guard case .notFound(let message) = error else { Issue.record("expected notFound, got \(error)"); return }
            #expect(message.contains("No matching records found"))
        }
        await harness.stop()
    }

    @Test func badCredentialsAreAuthenticationErrors() async throws {
        let harness = try await SandboxHarness.start { $0.secret = "wrong" }
        do {
            _ = try await harness.client.query(Ticket.self, filter: [.all])
            Issue.record("a wrong secret was accepted")
        } catch {
            guard case .authentication = error else { Issue.record("expected authentication, got \(error)"); return }
        }
        let badCode = try await SandboxHarness.start { $0.integrationCode = "SOMEONE-ELSE" }
        do {
            _ = try await badCode.client.get(Ticket.self, id: 7001)
            Issue.record("a wrong integration code was accepted")
        } catch {
            #expect(error == .authentication("IntegrationCode is invalid."))
        }
        await harness.stop()
        await badCode.stop()
    }
}
