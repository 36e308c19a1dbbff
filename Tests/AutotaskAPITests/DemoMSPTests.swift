import Foundation
import LiftoffCore
import Testing

@testable import AutotaskSandbox

/// The demo tenant is what every sandbox session, demo and screenshot starts from, so its shape is
/// pinned here: determinism, counts, links between entities, and calendars that respect each office's
/// own time zone, business hours and holidays.
@Suite struct DemoMSPTests {
    /// Wednesday 2026-03-11 14:23:17 UTC: New York is already on daylight time, London not yet.
    static let now = Date(timeIntervalSince1970: 1_773_238_997)
    /// Wednesday 2026-10-28 03:05 UTC: London is back on GMT, New York still on daylight time.
    static let autumnNow = Date(timeIntervalSince1970: 1_793_156_700)
    /// Thursday 2026-12-31 22:00 UTC: the week spans New Year (and the UK's Boxing Day substitute).
    static let newYearNow = Date(timeIntervalSince1970: 1_798_754_400)
    static let weeks = [now, autumnNow, newYearNow]

    /// The IANA zones behind the demo's `timeZoneID` picklist values.
    static let zones: [Int64: String] = [11: "America/New_York", 40: "Europe/London", 60: "Asia/Kolkata"]

    static let entityNames: Set<String> = [
        "Companies", "Resources", "InternalLocations", "InternalLocationWithBusinessHours", "HolidaySets",
        "Holidays", "Tickets", "ServiceCalls", "ServiceCallTickets", "ServiceCallTicketResources", "Appointments",
        "TimeOffRequests", "ResourceRoleQueues",
    ]

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        calendar.firstWeekday = 2
        return calendar
    }()

    let tenant = DemoMSP.records(now: DemoMSPTests.now)

    // MARK: Determinism

    @Test func sameNowGivesIdenticalRecords() {
        let first = DemoMSP.records(now: Self.now)
        let second = DemoMSP.records(now: Self.now)
        #expect(Set(first.keys) == Set(second.keys))
        for name in first.keys {
            #expect(serialized(first[name]) == serialized(second[name]), "\(name) differs between two runs")
        }
    }

    @Test func entityNamesAreTheSandboxes() {
        #expect(Set(tenant.keys) == Self.entityNames)
    }

    // MARK: Counts

    @Test func organisationHasThreeOfficesAndTwelveTechnicians() {
        let resources = records("Resources")
        #expect(resources.count == 14)
        #expect(activeTechnicianIDs.count == 12)
        #expect(resources.filter { bool($0, "isActive") == false }.count == 1)
        let api = resources.filter { string($0, "resourceType") == "API" }
        #expect(api.count == 1)
        #expect(api.first.flatMap { string($0, "firstName") } == "Liftoff")
        #expect(api.first.flatMap { string($0, "lastName") } == "API")
        #expect(records("InternalLocations").count == 3)
        #expect(records("InternalLocationWithBusinessHours").count == 3)
        #expect(records("HolidaySets").count == 3)
        #expect(records("Companies").count == 15)

        var perLocation: [Int64: Int] = [:]
        for resource in resources where activeTechnicianIDs.contains(integer(resource, "id") ?? -1) {
            perLocation[integer(resource, "locationID") ?? -1, default: 0] += 1
        }
        #expect(perLocation.values.sorted() == [3, 4, 5])
    }

    @Test func backlogHoldsAboutTwoHundredFiftyOpenTickets() {
        let tickets = records("Tickets")
        let open = tickets.filter { integer($0, "status") != 5 }
        let completed = tickets.filter { integer($0, "status") == 5 }
        #expect((230...270).contains(open.count))
        #expect(completed.count >= 20)
        #expect(open.allSatisfy { $0["completedDate"] == JSONValue.null })
        #expect(completed.allSatisfy { string($0, "completedDate") != nil })
        #expect(Set(open.compactMap { integer($0, "status") }) == [1, 7, 8])
        #expect(Set(tickets.compactMap { integer($0, "priority") }) == [1, 2, 3, 4])
        #expect(Set(tickets.compactMap { integer($0, "queueID") }) == [29_683_354, 29_683_355, 29_683_356])
        let unassigned = open.filter { $0["assignedResourceID"] == JSONValue.null }
        #expect(!unassigned.isEmpty && unassigned.count < open.count / 5)
        #expect(Set(tickets.compactMap { string($0, "title") }).count >= 40)
    }

    @Test func everyTechnicianHasTwoWeeksOfMeetings() {
        let appointments = records("Appointments")
        for technician in activeTechnicianIDs {
            let count = appointments.filter { integer($0, "resourceID") == technician }.count
            #expect((8...28).contains(count), "technician \(technician) has \(count) appointments")
        }
        let titles = appointments.compactMap { string($0, "title") }
        #expect(titles.contains("Team stand-up"))
        #expect(titles.contains { $0.hasPrefix("Calendly: ") })
        #expect(titles.contains { $0.hasPrefix("FindTime: ") })
        let personal = appointments.filter { string($0, "title") == "Appointment" }
        #expect(!personal.isEmpty)
        #expect(personal.allSatisfy { $0["description"] == JSONValue.null })
    }

    @Test func timeZestBookingsLinkCallTicketAndTechnician() throws {
        let calls = records("ServiceCalls")
        let links = records("ServiceCallTickets")
        let assignments = records("ServiceCallTicketResources")
        let tickets = try #require(byID(records("Tickets")))
        #expect(calls.count >= 6)
        for call in calls {
            let callID = try #require(integer(call, "id"))
            #expect(string(call, "description")?.hasPrefix("TimeZest: ") == true)
            let callLinks = links.filter { integer($0, "serviceCallID") == callID }
            try #require(callLinks.count == 1, "service call \(callID) has \(callLinks.count) tickets")
            let linkID = try #require(integer(callLinks[0], "id"))
            let ticket = try #require(tickets[integer(callLinks[0], "ticketID") ?? -1])
            #expect(integer(ticket, "companyID") == integer(call, "companyID"))
            let callResources = assignments.filter { integer($0, "serviceCallTicketID") == linkID }
            try #require(callResources.count == 1, "service call ticket \(linkID) has \(callResources.count) resources")
            #expect(integer(callResources[0], "resourceID") == integer(ticket, "assignedResourceID"))
        }
    }

    @Test func timeOffHasApprovedAndPendingRequests() {
        let requests = records("TimeOffRequests")
        #expect((3...4).contains(requests.filter { integer($0, "status") == 2 }.count))
        #expect(requests.filter { integer($0, "status") == 1 }.count == 1)
        #expect(requests.allSatisfy { activeTechnicianIDs.contains(integer($0, "resourceID") ?? -1) })
    }

    // MARK: Integrity

    @Test func referencesPointAtExistingRecords() {
        let companies = ids("Companies")
        let calls = ids("ServiceCalls")
        let tickets = ids("Tickets")
        let links = ids("ServiceCallTickets")
        let holidaySets = ids("HolidaySets")
        let locations = ids("InternalLocations")
        let resources = ids("Resources")

        for ticket in records("Tickets") {
            #expect(companies.contains(integer(ticket, "companyID") ?? -1))
            if let assignee = integer(ticket, "assignedResourceID") {
                #expect(activeTechnicianIDs.contains(assignee), "ticket assigned to \(assignee)")
                #expect(integer(ticket, "assignedResourceRoleID") == 29_683_401)
            } else {
                #expect(ticket["assignedResourceRoleID"] == JSONValue.null)
            }
        }
        for call in records("ServiceCalls") {
            #expect(companies.contains(integer(call, "companyID") ?? -1))
        }
        for link in records("ServiceCallTickets") {
            #expect(calls.contains(integer(link, "serviceCallID") ?? -1))
            #expect(tickets.contains(integer(link, "ticketID") ?? -1))
        }
        for assignment in records("ServiceCallTicketResources") {
            #expect(links.contains(integer(assignment, "serviceCallTicketID") ?? -1))
            #expect(activeTechnicianIDs.contains(integer(assignment, "resourceID") ?? -1))
        }
        for holiday in records("Holidays") {
            #expect(holidaySets.contains(integer(holiday, "holidaySetID") ?? -1))
        }
        for resource in records("Resources") {
            #expect(locations.contains(integer(resource, "locationID") ?? -1))
        }
        for location in records("InternalLocations") {
            #expect(holidaySets.contains(integer(location, "holidaySetId") ?? -1))
        }
        for location in records("InternalLocationWithBusinessHours") {
            #expect(locations.contains(integer(location, "id") ?? -1))
            #expect(holidaySets.contains(integer(location, "holidaySetID") ?? -1))
        }
        for appointment in records("Appointments") {
            #expect(activeTechnicianIDs.contains(integer(appointment, "resourceID") ?? -1))
        }
        for request in records("TimeOffRequests") {
            #expect(resources.contains(integer(request, "resourceID") ?? -1))
        }
    }

    @Test func idsAreUniqueWithinEachEntity() {
        for (name, entity) in tenant {
            let entityIDs = entity.compactMap { integer($0, "id") }
            #expect(entityIDs.count == entity.count, "\(name): a record lacks an integer id")
            #expect(Set(entityIDs).count == entityIDs.count, "\(name): duplicate ids")
            #expect(entity.allSatisfy { $0["userDefinedFields"] == JSONValue.array([]) }, "\(name)")
        }
    }

    @Test func dateTimesUseTheAutotaskFormat() {
        var checked = 0
        for (name, entity) in tenant {
            for record in entity {
                for member in record.members where member.key.contains("Date") || member.key.hasSuffix("Time") {
                    switch member.value {
                    case .null:
                        continue
                    case .string(let text):
                        #expect(parse(text) != nil, "\(name).\(member.key) = \(text)")
                        checked += 1
                    default:
                        Issue.record("\(name).\(member.key) is neither a string nor null")
                    }
                }
            }
        }
        #expect(checked > 1_000)
    }

    // MARK: Calendars

    @Test(arguments: DemoMSPTests.weeks)
    func calendarItemsFallInsideLocalBusinessHours(now: Date) throws {
        let tenant = DemoMSP.records(now: now)
        let zones = try zonesByResource(tenant)
        var items: [(resource: Int64, start: String, end: String)] = []
        for appointment in tenant["Appointments"] ?? [] {
            items.append(
                (
                    integer(appointment, "resourceID") ?? -1, string(appointment, "startDateTime") ?? "",
                    string(appointment, "endDateTime") ?? ""
                ))
        }
        let links = byID(tenant["ServiceCallTickets"] ?? []) ?? [:]
        let calls = byID(tenant["ServiceCalls"] ?? []) ?? [:]
        for assignment in tenant["ServiceCallTicketResources"] ?? [] {
            let link = try #require(links[integer(assignment, "serviceCallTicketID") ?? -1])
            let call = try #require(calls[integer(link, "serviceCallID") ?? -1])
            items.append(
                (
                    integer(assignment, "resourceID") ?? -1, string(call, "startDateTime") ?? "",
                    string(call, "endDateTime") ?? ""
                ))
        }
        for request in tenant["TimeOffRequests"] ?? [] {
            items.append(
                (
                    integer(request, "resourceID") ?? -1, string(request, "startTime") ?? "",
                    string(request, "endTime") ?? ""
                ))
        }
        #expect(items.count > 80)
        for item in items {
            let zone = try #require(zones[item.resource], "resource \(item.resource) has no zone")
            let start = try #require(parse(item.start))
            let end = try #require(parse(item.end))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let startParts = calendar.dateComponents([.weekday, .hour, .minute], from: start)
            let endParts = calendar.dateComponents([.hour, .minute], from: end)
            let description = "\(item.start)–\(item.end) for \(item.resource) in \(zone.identifier)"
            #expect(start < end, "\(description)")
            #expect(calendar.isDate(start, inSameDayAs: end), "\(description)")
            #expect((2...6).contains(startParts.weekday ?? 0), "\(description) is not on a weekday")
            #expect((startParts.hour ?? 0) * 60 + (startParts.minute ?? 0) >= 8 * 60, "\(description) starts too early")
            #expect((endParts.hour ?? 0) * 60 + (endParts.minute ?? 0) <= 17 * 60, "\(description) ends too late")
        }
    }

    @Test(arguments: DemoMSPTests.weeks)
    func meetingsAvoidTheTechniciansHolidays(now: Date) throws {
        let tenant = DemoMSP.records(now: now)
        let zones = try zonesByResource(tenant)
        let locationOfResource = Dictionary(
            uniqueKeysWithValues: (tenant["Resources"] ?? []).map {
                (integer($0, "id") ?? -1, integer($0, "locationID") ?? -1)
            })
        let setOfLocation = Dictionary(
            uniqueKeysWithValues: (tenant["InternalLocations"] ?? []).map {
                (integer($0, "id") ?? -1, integer($0, "holidaySetId") ?? -1)
            })
        var holidayDates: [Int64: Set<String>] = [:]
        for holiday in tenant["Holidays"] ?? [] {
            holidayDates[integer(holiday, "holidaySetID") ?? -1, default: []].insert(
                String((string(holiday, "holidayDate") ?? "").prefix(10)))
        }
        for appointment in tenant["Appointments"] ?? [] {
            let resource = integer(appointment, "resourceID") ?? -1
            let zone = try #require(zones[resource])
            let start = try #require(parse(string(appointment, "startDateTime") ?? ""))
            let holidaySet = setOfLocation[locationOfResource[resource] ?? -1] ?? -1
            let localDate = localDay(start, in: zone)
            #expect(!(holidayDates[holidaySet] ?? []).contains(localDate), "appointment on holiday \(localDate)")
        }
    }

    /// This week and the next, so a demo started at the weekend still shows the week ahead.
    @Test func appointmentsLieInTheWeekOfNowAndTheNext() throws {
        var weekStarts: [[String]] = []
        for now in [Self.now, Self.now.addingTimeInterval(7 * 86_400)] {
            let tenant = DemoMSP.records(now: now)
            let week = try #require(Self.utc.dateInterval(of: .weekOfYear, for: now))
            let appointments = tenant["Appointments"] ?? []
            #expect(!appointments.isEmpty)
            for appointment in appointments {
                let start = try #require(parse(string(appointment, "startDateTime") ?? ""))
                let end = try #require(parse(string(appointment, "endDateTime") ?? ""))
                #expect(
                    start >= week.start && end <= week.end.addingTimeInterval(7 * 86_400),
                    "\(start) outside the two weeks from \(now)")
            }
            weekStarts.append(appointments.compactMap { string($0, "startDateTime") })
        }
        #expect(weekStarts[0] != weekStarts[1])
    }

    // MARK: Holidays

    @Test func holidaysCoverThisYearAndNext() throws {
        let holidays = records("Holidays")
        for set in ids("HolidaySets") {
            for year in [2026, 2027] {
                let count = holidays.filter {
                    integer($0, "holidaySetID") == set && string($0, "holidayDate")?.hasPrefix("\(year)-") == true
                }.count
                #expect(count >= 6, "holiday set \(set) has \(count) holidays in \(year)")
            }
        }
        #expect(holidays.allSatisfy { string($0, "holidayDate")?.hasSuffix("T00:00:00Z") == true })
    }

    @Test func floatingHolidaysLandOnTheRightDays() throws {
        let sets = Dictionary(
            uniqueKeysWithValues: records("HolidaySets").map {
                (string($0, "holidaySetName") ?? "", integer($0, "id") ?? -1)
            })
        func dates(_ setName: String, _ name: String) -> Set<String> {
            Set(
                records("Holidays").filter {
                    integer($0, "holidaySetID") == sets[setName] && string($0, "holidayName")?.hasPrefix(name) == true
                }.compactMap { string($0, "holidayDate").map { String($0.prefix(10)) } })
        }
        #expect(dates("United States", "Thanksgiving Day").contains("2026-11-26"))
        #expect(dates("United States", "Memorial Day").contains("2026-05-25"))
        #expect(dates("United States", "Labor Day").contains("2027-09-06"))
        #expect(dates("United States", "Independence Day").contains("2026-07-03"))  // July 4 is a Saturday.
        #expect(dates("United Kingdom", "Good Friday").contains("2026-04-03"))
        #expect(dates("United Kingdom", "Easter Monday").contains("2027-03-29"))
        #expect(dates("United Kingdom", "Boxing Day").contains("2026-12-28"))  // Dec 26 is a Saturday.
        #expect(dates("India", "Republic Day").contains("2027-01-26"))
    }

    @Test(arguments: DemoMSPTests.weeks)
    func companyOffsiteFallsOnThisWeeksFriday(now: Date) throws {
        let tenant = DemoMSP.records(now: now)
        let week = try #require(Self.utc.dateInterval(of: .weekOfYear, for: now))
        let friday = String(ISO8601DateFormatter().string(from: week.start.addingTimeInterval(4 * 86_400)).prefix(10))
        let defaultLocation = try #require((tenant["InternalLocations"] ?? []).first { bool($0, "isDefault") == true })
        let offsite = (tenant["Holidays"] ?? []).filter { string($0, "holidayName") == "Company offsite" }
        #expect(offsite.count == 1)
        #expect(offsite.first.flatMap { string($0, "holidayDate") } == "\(friday)T00:00:00Z")
        #expect(offsite.first.flatMap { integer($0, "holidaySetID") } == integer(defaultLocation, "holidaySetId"))
    }

    // MARK: Tickets

    @Test func ticketsLookLikeARealBacklog() throws {
        let nowDate = Self.now
        var (onSLA, agreed, lapsed) = (0, 0, 0)
        for ticket in records("Tickets") {
            let created = try #require(parse(string(ticket, "createDate") ?? ""))
            let lastActivity = try #require(parse(string(ticket, "lastActivityDate") ?? ""))
            let number = string(ticket, "ticketNumber") ?? ""
            let compact = String(ISO8601DateFormatter().string(from: created).prefix(10)).replacingOccurrences(
                of: "-", with: "")
            #expect(number.hasPrefix("T\(compact).") && number.count == 1 + 8 + 1 + 4, "\(number)")
            #expect(
                created <= nowDate.addingTimeInterval(-3_600) && created >= nowDate.addingTimeInterval(-60 * 86_400 - 1)
            )
            #expect(lastActivity >= created && lastActivity <= nowDate)
            if let completed = string(ticket, "completedDate") {
                #expect(string(ticket, "lastActivityDate") == completed)
            }
            let hours = ticket["estimatedHours"]
            if case .number(let value)? = hours {
                #expect(value >= 0.25 && value <= 6)
            } else {
                Issue.record("estimatedHours is \(String(describing: hours))")
            }
            if let due = string(ticket, "dueDateTime").flatMap(parse) {
                let sla: [Int64: TimeInterval] = [4: 4 * 3_600, 1: 86_400, 2: 3 * 86_400, 3: 7 * 86_400]
                let slaDue = created.addingTimeInterval(sla[integer(ticket, "priority") ?? 0] ?? 0)
                if due == slaDue {
                    if string(ticket, "completedDate") == nil && slaDue < nowDate { lapsed += 1 }
                    onSLA += 1
                } else {
                    // A new date agreed for an open ticket whose SLA had lapsed: 1 to 10 days ahead.
                    #expect(string(ticket, "completedDate") == nil && slaDue < nowDate, "\(number)")
                    #expect(due > nowDate && due <= nowDate.addingTimeInterval(11 * 86_400), "\(number)")
                    agreed += 1
                }
            }
        }
        // Mostly agreed anew, a few fires left with a lapsed SLA.
        #expect(agreed > 100, "\(agreed) tickets have an agreed due date")
        #expect(lapsed > 0 && lapsed * 8 < agreed, "\(lapsed) open tickets keep a lapsed SLA against \(agreed) agreed")
        #expect(onSLA > 0)
        let numbers = records("Tickets").compactMap { string($0, "ticketNumber") }
        #expect(Set(numbers).count == numbers.count)
    }

    // MARK: Team size

    /// The base team, a mid-sized MSP and the largest team `technicianCount` allows.
    static let teamSizes = [12, 50, 200, 500]

    @Test func defaultTeamIsTheBaseTwelve() {
        let explicit = DemoMSP.records(now: Self.now, technicianCount: 12)
        #expect(Set(explicit.keys) == Set(tenant.keys))
        for name in tenant.keys {
            #expect(serialized(tenant[name]) == serialized(explicit[name]), "\(name) differs")
        }
    }

    @Test(arguments: DemoMSPTests.teamSizes)
    func sameNowAndTeamSizeGiveIdenticalRecords(technicians: Int) {
        let first = DemoMSP.records(now: Self.now, technicianCount: technicians)
        let second = DemoMSP.records(now: Self.now, technicianCount: technicians)
        #expect(Set(first.keys) == Self.entityNames)
        #expect(Set(first.keys) == Set(second.keys))
        for name in first.keys {
            #expect(serialized(first[name]) == serialized(second[name]), "\(name) differs between two runs")
        }
    }

    @Test(arguments: DemoMSPTests.teamSizes)
    func teamHasExactlyTheRequestedTechnicians(technicians: Int) throws {
        let tenant = DemoMSP.records(now: Self.now, technicianCount: technicians)
        let resources = (tenant["Resources"] ?? []).sorted { (integer($0, "id") ?? -1) < (integer($1, "id") ?? -1) }
        let active = activeTechnicians(tenant)
        #expect(active.count == technicians)
        // Technicians, then the former employee and the API user, with ids contiguous from the first.
        let firstID: Int64 = 29_682_885
        #expect(resources.compactMap { integer($0, "id") } == Array(firstID..<(firstID + Int64(technicians) + 2)))
        for key in ["userName", "email"] {
            let values = resources.compactMap { string($0, key) }
            #expect(values.count == resources.count && Set(values).count == values.count, "\(key) not unique")
        }
        let names = resources.map { "\(string($0, "firstName") ?? "") \(string($0, "lastName") ?? "")" }
        #expect(Set(names).count == names.count, "names not unique")

        // The base team keeps its ids; the offices keep the base team's 5 : 4 : 3 split.
        let base = (DemoMSP.records(now: Self.now)["Resources"] ?? []).prefix(12)
        #expect(serialized(Array(resources.prefix(12))) == serialized(Array(base)))
        let cities = Dictionary(
            uniqueKeysWithValues: (tenant["InternalLocationWithBusinessHours"] ?? []).map {
                (integer($0, "id") ?? -1, string($0, "city") ?? "")
            })
        var perCity: [String: Int] = [:]
        for resource in resources where active.contains(integer(resource, "id") ?? -1) {
            perCity[cities[integer(resource, "locationID") ?? -1] ?? "?", default: 0] += 1
        }
        for (city, share) in [("New York", 5.0), ("London", 4.0), ("Pune", 3.0)] {
            let expected = Double(technicians) * share / 12
            let count = perCity[city] ?? 0
            #expect(abs(Double(count) - expected) <= 1, "\(count) technicians in \(city), expected about \(expected)")
        }
    }

    @Test(arguments: DemoMSPTests.teamSizes)
    func backlogScalesWithTheTeam(technicians: Int) {
        let tenant = DemoMSP.records(now: Self.now, technicianCount: technicians)
        let tickets = tenant["Tickets"] ?? []
        let open = tickets.filter { integer($0, "status") != 5 }
        let expected = 250 * Double(technicians) / 12
        #expect(abs(Double(open.count) - expected) <= 0.5, "\(open.count) open tickets, expected about \(expected)")
        #expect(tickets.count - open.count >= 20)
        let active = activeTechnicians(tenant)
        let assignees = open.compactMap { integer($0, "assignedResourceID") }
        #expect(assignees.allSatisfy { active.contains($0) }, "an open ticket's assignee is not an active technician")
        #expect(open.count - assignees.count < open.count / 5)
        #expect(Set(assignees) == active, "some technicians have no open tickets")
    }

    @Test(arguments: DemoMSPTests.teamSizes)
    func idsAreUniqueAndRangesDisjoint(technicians: Int) throws {
        let tenant = DemoMSP.records(now: Self.now, technicianCount: technicians)
        var ranges: [(name: String, ids: ClosedRange<Int64>)] = []
        for (name, entity) in tenant {
            let entityIDs = entity.compactMap { integer($0, "id") }
            #expect(entityIDs.count == entity.count, "\(name): a record lacks an integer id")
            #expect(Set(entityIDs).count == entityIDs.count, "\(name): duplicate ids")
            // The same three locations, read through a second entity, so the same ids.
            guard name != "InternalLocationWithBusinessHours" else { continue }
            let low = try #require(entityIDs.min(), "\(name) is empty")
            ranges.append((name, low...(entityIDs.max() ?? low)))
        }
        #expect(
            Set((tenant["InternalLocationWithBusinessHours"] ?? []).compactMap { integer($0, "id") })
                == Set((tenant["InternalLocations"] ?? []).compactMap { integer($0, "id") }))
        for (index, first) in ranges.enumerated() {
            for second in ranges[(index + 1)...] {
                #expect(
                    !first.ids.overlaps(second.ids),
                    "\(first.name) \(first.ids) overlaps \(second.name) \(second.ids)")
            }
        }
        // Tickets carry the service-desk role's id next to the resource's; keep the two apart too.
        let resources = try #require(ranges.first { $0.name == "Resources" })
        #expect(!resources.ids.contains(29_683_401))
    }

    @Test(arguments: DemoMSPTests.teamSizes)
    func calendarsBelongToTheTeam(technicians: Int) throws {
        let tenant = DemoMSP.records(now: Self.now, technicianCount: technicians)
        let active = activeTechnicians(tenant)
        let appointments = tenant["Appointments"] ?? []
        for technician in active {
            let count = appointments.filter { integer($0, "resourceID") == technician }.count
            #expect((8...28).contains(count), "technician \(technician) has \(count) appointments")
        }
        for appointment in appointments {
            #expect(active.contains(integer(appointment, "resourceID") ?? -1))
            #expect(integer(appointment, "creatorResourceID") == integer(appointment, "resourceID"))
        }

        let calls = byID(tenant["ServiceCalls"] ?? []) ?? [:]
        let links = byID(tenant["ServiceCallTickets"] ?? []) ?? [:]
        let tickets = byID(tenant["Tickets"] ?? []) ?? [:]
        let assignments = tenant["ServiceCallTicketResources"] ?? []
        #expect(Double(calls.count) >= 8 * Double(technicians) / 12 * 0.75, "only \(calls.count) TimeZest bookings")
        #expect(links.count == calls.count && assignments.count == calls.count)
        for assignment in assignments {
            let link = try #require(links[integer(assignment, "serviceCallTicketID") ?? -1])
            #expect(calls[integer(link, "serviceCallID") ?? -1] != nil)
            let ticket = try #require(tickets[integer(link, "ticketID") ?? -1])
            #expect(active.contains(integer(assignment, "resourceID") ?? -1))
            #expect(integer(assignment, "resourceID") == integer(ticket, "assignedResourceID"))
        }

        // Time off grows with the team, one request per person, approved by the office's first technician.
        let requests = tenant["TimeOffRequests"] ?? []
        let expected = 5 * Double(technicians) / 12
        #expect(abs(Double(requests.count) - expected) <= 1, "\(requests.count) requests, expected about \(expected)")
        let requesters = requests.compactMap { integer($0, "resourceID") }
        #expect(Set(requesters).count == requests.count && requesters.allSatisfy { active.contains($0) })
        let location = Dictionary(
            uniqueKeysWithValues: (tenant["Resources"] ?? []).map {
                (integer($0, "id") ?? -1, integer($0, "locationID") ?? -1)
            })
        for request in requests {
            guard let approver = integer(request, "approveRejectResourceID") else { continue }
            let requester = integer(request, "resourceID") ?? -1
            let firstOfOffice = active.filter { location[$0] == location[requester] && $0 != requester }.min()
            #expect(approver == firstOfOffice, "request of \(requester) approved by \(approver)")
        }
    }

    /// Smaller teams and counts outside 1...500 are not for demos, but they must never crash.
    @Test(arguments: [(-5, 1), (0, 1), (501, 500), (Int.max, 500), (Int.min, 1)])
    func teamSizeOutsideTheRangeIsClamped(requested: Int, clamped: Int) {
        let tenant = DemoMSP.records(now: Self.now, technicianCount: requested)
        let expected = DemoMSP.records(now: Self.now, technicianCount: clamped)
        #expect(Set(tenant.keys) == Set(expected.keys))
        for name in tenant.keys {
            #expect(serialized(tenant[name]) == serialized(expected[name]), "\(name) differs")
        }
    }

    @Test(arguments: [1, 2, 3, 5, 11])
    func smallTeamsAreDrawnFromTheBaseTeam(technicians: Int) {
        let tenant = DemoMSP.records(now: Self.now, technicianCount: technicians)
        let active = activeTechnicians(tenant)
        #expect(active.count == technicians)
        let baseNames = Set(
            (DemoMSP.records(now: Self.now)["Resources"] ?? []).map {
                "\(string($0, "firstName") ?? "") \(string($0, "lastName") ?? "")"
            })
        let names = (tenant["Resources"] ?? []).filter { active.contains(integer($0, "id") ?? -1) }.map {
            "\(string($0, "firstName") ?? "") \(string($0, "lastName") ?? "")"
        }
        #expect(names.allSatisfy { baseNames.contains($0) })
        // Offices fill in turn, team leads first.
        let leads = ["Maria Gonzalez", "Oliver Hughes", "Aditya Kulkarni"]
        #expect(leads.prefix(technicians).allSatisfy { names.contains($0) })
        for ticket in tenant["Tickets"] ?? [] {
            if let assignee = integer(ticket, "assignedResourceID") { #expect(active.contains(assignee)) }
        }
        for appointment in tenant["Appointments"] ?? [] {
            #expect(active.contains(integer(appointment, "resourceID") ?? -1))
        }
    }

    // MARK: Helpers

    func records(_ name: String) -> [JSONObject] { tenant[name] ?? [] }

    func ids(_ name: String) -> Set<Int64> { Set(records(name).compactMap { integer($0, "id") }) }

    var activeTechnicianIDs: Set<Int64> { activeTechnicians(tenant) }

    func activeTechnicians(_ tenant: [String: [JSONObject]]) -> Set<Int64> {
        Set(
            (tenant["Resources"] ?? []).filter {
                bool($0, "isActive") == true && string($0, "resourceType") == "Employee"
            }.compactMap { integer($0, "id") })
    }

    /// Each resource's zone, found the way Liftoff will: resource → location → `timeZoneID`.
    func zonesByResource(_ tenant: [String: [JSONObject]]) throws -> [Int64: TimeZone] {
        var zoneOfLocation: [Int64: TimeZone] = [:]
        for location in tenant["InternalLocationWithBusinessHours"] ?? [] {
            let identifier = try #require(Self.zones[integer(location, "timeZoneID") ?? -1])
            let zone = TimeZone(identifier: identifier)
            #expect(zone != nil, "no zone \(identifier) on this platform")
            zoneOfLocation[integer(location, "id") ?? -1] = zone
        }
        var zones: [Int64: TimeZone] = [:]
        for resource in tenant["Resources"] ?? [] {
            zones[integer(resource, "id") ?? -1] = zoneOfLocation[integer(resource, "locationID") ?? -1]
        }
        return zones
    }
}

private func serialized(_ records: [JSONObject]?) -> [UInt8] {
    JSONValue.array((records ?? []).map { JSONValue.object($0) }).serialized
}

private func integer(_ record: JSONObject, _ key: String) -> Int64? {
    if case .integer(let value)? = record[key] { return value }
    return nil
}

private func string(_ record: JSONObject, _ key: String) -> String? {
    if case .string(let value)? = record[key] { return value }
    return nil
}

private func bool(_ record: JSONObject, _ key: String) -> Bool? {
    if case .bool(let value)? = record[key] { return value }
    return nil
}

private func byID(_ records: [JSONObject]) -> [Int64: JSONObject]? {
    var result: [Int64: JSONObject] = [:]
    for record in records {
        guard let id = integer(record, "id"), result[id] == nil else { return nil }
        result[id] = record
    }
    return result
}

/// Parses exactly `yyyy-MM-ddTHH:mm:ssZ` and rejects impossible dates (the round trip must agree).
private func parse(_ text: String) -> Date? {
    let bytes = Array(text.utf8)
    guard bytes.count == 20 else { return nil }
    let separators: [Int: Character] = [4: "-", 7: "-", 10: "T", 13: ":", 16: ":", 19: "Z"]
    for (index, byte) in bytes.enumerated() {
        if let separator = separators[index] {
            guard Character(UnicodeScalar(byte)) == separator else { return nil }
        } else {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        }
    }
    func number(_ range: Range<Int>) -> Int { Int(String(decoding: bytes[range], as: UTF8.self)) ?? -1 }
    let components = DateComponents(
        year: number(0..<4), month: number(5..<7), day: number(8..<10), hour: number(11..<13),
        minute: number(14..<16), second: number(17..<19))
    guard let date = DemoMSPTests.utc.date(from: components) else { return nil }
    let back = DemoMSPTests.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    guard back.year == components.year, back.month == components.month, back.day == components.day,
        back.hour == components.hour, back.minute == components.minute, back.second == components.second
    else { return nil }
    return date
}

/// `yyyy-MM-dd` of an instant in a zone.
private func localDay(_ date: Date, in zone: TimeZone) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    func pad(_ value: Int?, _ width: Int) -> String {
        let digits = String(value ?? 0)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
}
