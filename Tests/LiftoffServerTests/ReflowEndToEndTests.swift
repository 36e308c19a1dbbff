import AutotaskAPI
import AutotaskSandbox
import Fluent
import Foundation
import LiftoffCore
import Testing

@testable import LiftoffServer

/// The mission's loop over real HTTP: import the demo MSP, plan with free time between activities,
/// write service calls, let outside schedulers book into the gaps, and reflow around them.
@Suite(.serialized) struct ReflowEndToEndTests {
    struct Call {
        let id: Int
        let start: Date
        let end: Date
        let marker: String?
    }

    /// The service calls Liftoff owns for `resource`, from the sandbox, by start.
    static func ownedCalls(_ harness: ServerHarness, resource: Int) async throws -> [Call] {
        let links = try await ServiceCallLinkRecord.query(on: harness.database).filter(\.$resourceID == resource).all()
        let ids = Set(links.compactMap(\.serviceCallID))
        return await harness.serviceCalls().compactMap { record -> Call? in
            guard let id = record.int("id"), ids.contains(id), let start = record.date("startDateTime"),
                let end = record.date("endDateTime")
            else { return nil }
            return Call(
                id: id, start: start, end: end, marker: ServiceCallMarker.find(in: record.string("description"))?.token)
        }.sorted { $0.start < $1.start }
    }

    /// Blocking time of `resource` in the Store (appointments, imported calls, time off).
    static func busy(_ harness: ServerHarness, resource: Int) async throws -> [(Date, Date)] {
        try await BusyItemRecord.query(on: harness.database).filter(\.$resourceID == resource).all().map {
            ($0.start, $0.end)
        }
    }

    static func longestFree(_ from: Date, _ to: Date, _ busy: [(Date, Date)]) -> TimeInterval {
        var cursor = from
        var longest: TimeInterval = 0
        for (start, end) in busy.sorted(by: { $0.0 < $1.0 }) where end > cursor && start < to {
            longest = max(longest, start.timeIntervalSince(cursor))
            cursor = max(cursor, end)
        }
        return max(longest, to.timeIntervalSince(cursor))
    }

    /// Pairs of consecutive owned calls on the same local day (one shift a day in the demo MSP).
    static func neighbours(_ calls: [Call], zone: TimeZone) -> [(Call, Call)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return zip(calls, calls.dropFirst()).filter { calendar.isDate($0.0.start, inSameDayAs: $0.1.start) }
    }

    @Test(arguments: TestDatabases.all)
    func bookingsIntoTheGapsAreImportedAndReflowMovesOnlyWhatMust(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            try await harness.setSiteSettings(#"{"minMinutesFreeBetweenActivities": 60}"#)

            let first = try await harness.job.run(trigger: "test", fullImport: true)
            #expect(first.created > 100)
            #expect(first.outcome == "succeeded")

            // Every block is one service call with its ticket and technician links, 60 free minutes apart.
            let links = try await ServiceCallLinkRecord.query(on: harness.database).all()
            #expect(links.count == first.created)
            #expect(
                links.allSatisfy {
                    $0.state == "created" && $0.serviceCallID != nil && $0.serviceCallTicketID != nil
                        && $0.resourceLinkID != nil
                })
            let technicians = try await TechnicianRecord.query(on: harness.database).filter(\.$isActive == true).all()
            var gapsChecked = 0
            for technician in technicians {
                let calls = try await Self.ownedCalls(harness, resource: technician.resourceID)
                let busy = try await Self.busy(harness, resource: technician.resourceID)
                for (earlier, later) in Self.neighbours(calls, zone: TimeZone(identifier: technician.timeZone)!) {
                    #expect(
                        Self.longestFree(earlier.end, later.start, busy) >= 3600,
                        "technician \(technician.resourceID): \(earlier.end)–\(later.start)")
                    gapsChecked += 1
                }
            }
            #expect(gapsChecked > 20)

            // Pick a technician with three blocks in a row on one day: book into both gaps.
            let orderBefore = try await harness.plan().technicians.map { [$0.id] + $0.workboard.map(\.activityId) }
            var chosen: (technician: TechnicianRecord, a: Call, b: Call, c: Call)?
            for technician in technicians where chosen == nil {
                let calls = try await Self.ownedCalls(harness, resource: technician.resourceID)
                let pairs = Self.neighbours(calls, zone: TimeZone(identifier: technician.timeZone)!)
                for (first, second) in zip(pairs, pairs.dropFirst())
                where first.1.id == second.0.id && first.0.start > harness.now.addingTimeInterval(3600) {
                    chosen = (technician, first.0, first.1, second.1)
                    break
                }
            }
            let pick = try #require(chosen)
            let resource = pick.technician.resourceID
            let ticket = try #require(
                try await TicketRecord.query(on: harness.database).filter(\.$isOpen == true).first())
            // TimeZest writes a service call with its ticket and resource links into the first gap …
            let timeZestStart = pick.a.end.addingTimeInterval(15 * 60)
            let timeZestID = try await harness.client.create(
                ServiceCall(
                    companyID: ticket.companyID, description: "TimeZest: Remote session — booked by Dana Whitfield",
                    startDateTime: timeZestStart, endDateTime: timeZestStart.addingTimeInterval(30 * 60), status: 1))
            let linkID = try await harness.client.create(
                ServiceCallTicket(serviceCallID: timeZestID, ticketID: ticket.ticketID))
            _ = try await harness.client.create(
                ServiceCallTicketResource(serviceCallTicketID: linkID, resourceID: resource))
            // … and a Calendly booking reaches Autotask as an Appointment in the second.
            let calendlyStart = pick.b.end.addingTimeInterval(15 * 60)
            let calendlyID = try await harness.client.create(
                Appointment(
                    resourceID: resource, startDateTime: calendlyStart,
                    endDateTime: calendlyStart.addingTimeInterval(30 * 60),
                    title: "Calendly: Acme Dental onboarding"))

            let writesBefore = await harness.sandbox.requestStatistics().writes
            let second = try await harness.job.run(trigger: "test")
            let writes = await harness.sandbox.requestStatistics().writes - writesBefore

            let imported = try await BusyItemRecord.query(on: harness.database).filter(
                \.$source == "servicecall:\(timeZestID)"
            ).first()
            #expect(imported?.kind == "imported")
            #expect(imported?.resourceID == resource)
            let external = try await BusyItemRecord.query(on: harness.database).filter(
                \.$source == "appointment:\(calendlyID)"
            ).first()
            #expect(external?.kind == "external")

            // Liftoff's calls moved around both bookings, keeping an hour free beside them.
            let after = try await Self.ownedCalls(harness, resource: resource)
            let bookings = [
                (timeZestStart, timeZestStart.addingTimeInterval(1800)),
                (calendlyStart, calendlyStart.addingTimeInterval(1800)),
            ]
            for call in after {
                for booking in bookings {
                    #expect(!(call.start < booking.1 && booking.0 < call.end), "call \(call.id) overlaps a booking")
                }
            }
            let busy = try await Self.busy(harness, resource: resource)
            for (earlier, later) in Self.neighbours(after, zone: TimeZone(identifier: pick.technician.timeZone)!) {
                #expect(Self.longestFree(earlier.end, later.start, busy) >= 3600)
            }
            #expect(second.moved > 0)
            #expect(second.created == 0 && second.removed == 0)
            // One write per moved block, and none of them touched the bookings.
            #expect(writes == second.moved)
            let timeZestCall = await harness.serviceCalls().first { $0.int("id") == timeZestID }
            #expect(timeZestCall?.date("startDateTime") == timeZestStart)

            // The Workboard order did not change.
            let orderAfter = try await harness.plan().technicians.map { [$0.id] + $0.workboard.map(\.activityId) }
            #expect(orderAfter == orderBefore)

            // A second run in a row writes nothing.
            let writesBeforeThird = await harness.sandbox.requestStatistics().writes
            let third = try await harness.job.run(trigger: "test")
            #expect(third.created + third.moved + third.removed == 0)
            #expect(await harness.sandbox.requestStatistics().writes == writesBeforeThird)
        }
    }
}

/// What others do to Liftoff's calls in Autotask.
@Suite(.serialized) struct ReflowRepairTests {
    @Test(arguments: TestDatabases.all)
    func aCallDeletedInAutotaskIsRecreatedAndAStrayMarkedCallIsRetired(_ database: String) async throws {
        try await ServerHarness.run(database) { harness in
            _ = try await harness.job.run(trigger: "test", fullImport: true)
            let links = try await ServiceCallLinkRecord.query(on: harness.database).all()
            let victim = try #require(links.filter { $0.start > harness.now.addingTimeInterval(7200) }.first)
            let victimID = try #require(victim.serviceCallID)
            // A dispatcher deletes one of Liftoff's calls, and a stray copy of a Liftoff call appears.
            try await harness.client.delete(ServiceCall.self, id: victimID)
            let start = harness.now.addingTimeInterval(86_400 * 3)
            let strayID = try await harness.client.create(
                ServiceCall(
                    companyID: 174, description: "Copied block [liftoff:0123456789abcdef]", startDateTime: start,
                    endDateTime: start.addingTimeInterval(3600), status: 1))

            let repair = try await harness.job.run(trigger: "test")
            #expect(repair.created == 1)
            #expect(repair.removed == 1)
            let recreated = try await ServiceCallLinkRecord.query(on: harness.database)
                .filter(\.$activityID == victim.activityID).filter(\.$part == victim.part).all()
            #expect(recreated.count == 1)
            #expect(recreated.first?.serviceCallID != victimID)
            #expect(recreated.first?.start == victim.start)
            #expect(await harness.serviceCalls().contains { $0.int("id") == strayID } == false)

            let quiet = try await harness.job.run(trigger: "test")
            #expect(quiet.created + quiet.moved + quiet.removed == 0)
            try await ReflowFaultTests.expectOneCallPerBlock(harness)
        }
    }
}
