import AutotaskSandbox
import Foundation
import LiftoffCore
import Testing

/// The sandbox answers in the shapes of Autotask's documented examples (docs/autotask.md and the
/// reference's §3–§5, from Datto's Postman collection, django-autotask fixtures and the Swagger).
@Suite struct WireShapeTests {
    func keys(_ value: JSONValue?) -> [String] {
        if case .object(let object)? = value { return object.keys.sorted() }
        return []
    }

    @Test func aQueryPageHasItemsAndPageDetails() async throws {
        let harness = try await SandboxHarness.start()
        let answer = try await harness.raw(
            "POST", "/ATServicesRest/V1.0/Tickets/query",
            body:
                #"{"MaxRecords": 2, "IncludeFields": ["Id", "TITLE", "priority"], "filter": [{"op": "exist", "field": "id"}]}"#
        )
        #expect(answer.status == 200)
        #expect(keys(answer.json) == ["items", "pageDetails"])
        guard case .object(let root)? = answer.json, case .array(let items)? = root["items"],
            case .object(let page)? = root["pageDetails"]
        else {
            Issue.record("not a page: \(answer.text)")
            return
        }
        #expect(items.count == 2)
        #expect(keys(items.first) == ["id", "priority", "title", "userDefinedFields"])
        #expect(page["count"] == 2 && page["requestCount"] == 2 && page["prevPageUrl"] == .null)
        guard case .string(let next)? = page["nextPageUrl"] else { Issue.record("no nextPageUrl"); return }
        #expect(next.hasPrefix("http://127.0.0.1:\(harness.port)/ATServicesRest/V1.0/Tickets/query/next?paging="))
        await harness.stop()
    }

    @Test func aGetQueryPagesWithGetAndAPostQueryRefusesGetOnItsNextPage() async throws {
        let harness = try await SandboxHarness.start()
        let search = #"{"filter":[{"op":"gte","field":"id","value":0}],"MaxRecords":3}"#
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let first = try await harness.raw("GET", "/atservicesrest/v1.0/tickets/query?search=\(search)")
        guard case .object(let root)? = first.json, case .object(let page)? = root["pageDetails"],
            case .string(let next)? = page["nextPageUrl"]
        else { Issue.record("no next page: \(first.text)"); return }
        #expect(next.contains("&search="))
        let second = try await harness.raw("GET", String(next.dropFirst("http://127.0.0.1:\(harness.port)".count)))
        guard case .object(let secondRoot)? = second.json, case .array(let items)? = secondRoot["items"] else {
            Issue.record("no second page: \(second.text)")
            return
        }
        #expect(items.count == 2)

        let posted = try await harness.raw(
            "POST", "/ATServicesRest/V1.0/Tickets/query",
            body: #"{"filter":[{"op":"gte","field":"id","value":0}],"MaxRecords":3}"#)
        guard case .object(let postedRoot)? = posted.json, case .object(let postedPage)? = postedRoot["pageDetails"],
            case .string(let postedNext)? = postedPage["nextPageUrl"]
        else { Issue.record("no next page"); return }
        let refused = try await harness.raw(
            "GET", String(postedNext.dropFirst("http://127.0.0.1:\(harness.port)".count)))
        #expect(refused.status == 405)
        await harness.stop()
    }

    /// §5.3: the service-call examples, each answered `{"itemId": n}`.
    @Test func writesAnswerWithTheItemId() async throws {
        let harness = try await SandboxHarness.start()
        let created = try await harness.raw(
            "POST", "/ATServicesRest/V1.0/ServiceCalls",
            body:
                #"{"companyID": 174, "description": "Onsite: replace switch", "startDateTime": "2026-03-10T14:00:00Z", "endDateTime": "2026-03-10T16:00:00Z", "status": 1}"#
        )
        #expect(keys(created.json) == ["itemId"])
        guard case .object(let object)? = created.json, case .integer(let callID)? = object["itemId"] else {
            Issue.record("no item id: \(created.text)")
            return
        }
        let link = try await harness.raw(
            "POST", "/ATServicesRest/V1.0/ServiceCalls/\(callID)/Tickets",
            body: #"{"serviceCallID": \#(callID), "ticketID": 7001}"#)
        guard case .object(let linkObject)? = link.json, case .integer(let linkID)? = linkObject["itemId"] else {
            Issue.record("no link: \(link.text)")
            return
        }
        let resource = try await harness.raw(
            "POST", "/ATServicesRest/V1.0/ServiceCallTickets/\(linkID)/Resources",
            body: #"{"serviceCallTicketID": \#(linkID), "resourceID": 29682885}"#)
        guard case .object(let resourceObject)? = resource.json,
            case .integer(let resourceID)? = resourceObject["itemId"]
        else {
            Issue.record("no resource: \(resource.text)")
            return
        }
        let patched = try await harness.raw(
            "PATCH", "/ATServicesRest/V1.0/ServiceCalls",
            body: #"{"id": \#(callID), "startDateTime": "2026-03-10T15:00:00Z", "endDateTime": "2026-03-10T17:00:00Z"}"#
        )
        #expect(patched.text == #"{"itemId":\#(callID)}"#)
        let deleted = try await harness.raw(
            "DELETE", "/ATServicesRest/V1.0/ServiceCallTickets/\(linkID)/Resources/\(resourceID)")
        #expect(deleted.text == #"{"itemId":\#(resourceID)}"#)
        let item = try await harness.raw("GET", "/ATServicesRest/V1.0/ServiceCalls/\(callID)")
        guard case .object(let itemRoot)? = item.json, case .object(let call)? = itemRoot["item"] else {
            Issue.record("no item: \(item.text)")
            return
        }
        #expect(call["startDateTime"] == "2026-03-10T15:00:00Z")
        #expect(call["description"] == "Onsite: replace switch")
        #expect(call["canceledDateTime"] == .null)
        #expect(call["userDefinedFields"] == [])
        await harness.stop()
    }

    @Test(arguments: [
        ("PATCH", "/ATServicesRest/V1.0/ServiceCalls/1", 405),
        ("DELETE", "/ATServicesRest/V1.0/Tickets/7001", 405),
        ("GET", "/ATServicesRest/V1.0/NoSuchThings/1", 404),
        ("GET", "/ATServicesRest/V1.0/Tickets/123456", 200),
    ])
    func routesAnswerWithAutotasksStatusCodes(method: String, path: String, status: Int) async throws {
        let harness = try await SandboxHarness.start()
        #expect(try await harness.raw(method, path, body: method == "PATCH" ? "{}" : nil).status == status)
        await harness.stop()
    }

    @Test(arguments: [
        (#"{"filter": []}"#, "A query must have at least one filter"),
        (
            #"{"MaxRecords": 501, "filter": [{"op": "exist", "field": "id"}]}"#,
            "maxCountOfRecordsToReturn must be between 1 and 500"
        ),
        (#"{"filter": [{"op": "like", "field": "id", "value": 1}]}"#, "Invalid filter operator: like."),
        (#"{"filter": [{"op": "eq", "field": "colour", "value": 1}]}"#, "Unable to find colour in the Tickets entity."),
        (#"{"filter": [{"op": "in", "field": "id", "value": 1}]}"#, "needs a list of values"),
    ])
    func badQueriesAreRefusedWithAutotaskStyleErrors(body: String, message: String) async throws {
        let harness = try await SandboxHarness.start()
        let answer = try await harness.raw("POST", "/ATServicesRest/V1.0/Tickets/query", body: body)
        #expect(answer.status == 500)
        #expect(answer.text.contains(message), "\(answer.text)")
        await harness.stop()
    }

    @Test func thresholdInformationCountsTheHour() async throws {
        let harness = try await SandboxHarness.start()
        _ = try await harness.raw("GET", "/ATServicesRest/V1.0/Tickets/7001")
        let answer = try await harness.raw("GET", "/ATServicesRest/V1.0/ThresholdInformation")
        #expect(
            answer.text
                == #"{"externalRequestThreshold":10000,"requestThresholdTimeframe":60,"currentTimeframeRequestCount":2}"#
        )
        await harness.stop()
    }

    @Test func theStateFileRoundTrips() async throws {
        let records = DemoMSP.records(now: Date(timeIntervalSince1970: 1_773_151_200))
        let sandbox = SandboxServer(records: records)
        let saved = SandboxStateFile.data(await sandbox.records())
        let reloaded = try SandboxStateFile.records(from: saved)
        #expect(reloaded.mapValues(\.count).filter { $0.value > 0 } == records.mapValues(\.count))
        #expect(SandboxStateFile.data(reloaded) == saved)
    }
}
