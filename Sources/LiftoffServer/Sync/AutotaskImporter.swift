import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Logging

/// Brings what planning needs from Autotask into the Store.
///
/// A **full** pass (daily, on first run, or on demand) reads the slow-changing things — picklists,
/// locations with business hours, holidays, resources — and every open ticket. An **incremental**
/// pass reads only tickets changed since the last run (by `lastActivityDate`), plus the calendar
/// window of appointments, service calls and time off, which Autotask offers no reliable change
/// feed for (deletions leave no trace) and which are cheap to read in a few pages.
struct AutotaskImporter {
    let client: AutotaskClient
    let database: Database
    let now: Date
    let logger: Logger
    /// How far ahead the calendar window reaches: the longest horizon plus a day.
    var windowDays = 15

    struct Summary: Sendable {
        var full = false
        var technicians = 0
        /// Tickets added or changed in what planning and the pages show.
        var tickets = 0
        var busyItems = 0
        /// Busy items added, changed or removed: what the pages must show anew.
        var busyChanges = 0
        var ownCalls = 0
        /// The tickets an incremental import read (changed in Autotask since the last one): only these
        /// can need a Next Activity made or closed (``NextActivityRule/onlyTickets``). Nil after a
        /// full import, which may change any.
        var readTicketIDs: Set<Int>?
    }

    func run(full requested: Bool) async throws -> Summary {
        var summary = Summary()
        let state = try await syncState("import")
        let full = requested || state.lastFullAt == nil || now.timeIntervalSince(state.lastFullAt!) > 86_400
        summary.full = full
        if full { summary.technicians = try await importTechnicians() }
        let (changedTickets, readTickets) = try await importTickets(since: full ? nil : state.cursor)
        summary.tickets = changedTickets
        summary.readTicketIDs = full ? nil : readTickets
        let resourceIDs = try await StoreRows.activeTechnicianIDs(on: database)
        summary.busyItems = try await importCalendar(resourceIDs: resourceIDs, full: full, summary: &summary)
        state.cursor = now.addingTimeInterval(-60)
        if full { state.lastFullAt = now }
        try await state.save(on: database)
        return summary
    }

    private func syncState(_ name: String) async throws -> SyncStateRecord {
        if let state = try await SyncStateRecord.query(on: database).filter(\.$name == name).first() { return state }
        let state = SyncStateRecord()
        state.name = name
        return state
    }

    // MARK: Technicians: resources, their location's zone and business hours, holidays

    private func importTechnicians() async throws -> Int {
        let zoneLabels = try await picklist(InternalLocationWithBusinessHours.self, field: "timeZoneID")
        let locations = try await client.query(
            InternalLocationWithBusinessHours.self, filter: [.all], priority: .background)
        let zoneIndexes = try await microsoftZoneIndexes()
        let holidays = try await client.query(
            Holiday.self, filter: [.gte("holidayDate", .date(now.addingTimeInterval(-86_400 * 2)))],
            priority: .background)
        let resources = try await client.query(Resource.self, filter: [.eq("isActive", true)], priority: .background)
        // One read of every stored technician, and a write only for a row that changed: a daily pass
        // at 500 technicians that finds nothing new writes nothing.
        var stored = Dictionary(
            try await TechnicianRecord.query(on: database).all().map { ($0.resourceID, $0) }
        ) { first, _ in first }
        var count = 0
        for resource in resources where resource.resourceType != "API" {
            guard let id = resource.id else { continue }
            let location = resource.locationID.flatMap { locationID in locations.first { $0.id == locationID } }
            let record = stored[id] ?? TechnicianRecord()
            let before = record.id == nil ? nil : Self.storedFields(of: record)
            record.resourceID = id
            record.name = [resource.firstName, resource.lastName].compactMap { $0 }.joined(separator: " ")
            record.email = resource.email
            record.isActive = resource.isActive ?? true
            record.locationID = resource.locationID
            if let location {
                let zone = LocationZone.resolve(
                    location: location, label: location.timeZoneID.flatMap { zoneLabels[String($0)] },
                    index: location.id.flatMap { zoneIndexes[$0] } ?? nil, at: now)
                record.importedTimeZone = zone.identifier
                record.zoneSource = zone.explanation
                let dated = holidays.filter { $0.holidaySetID == location.holidaySetID }.compactMap { holiday in
                    holiday.holidayDate.map { (date: $0, name: holiday.holidayName) }
                }
                record.importedWorkSchedule = Self.workSchedule(location, holidays: dated)
            } else {
                record.importedTimeZone = nil
                record.importedWorkSchedule = nil
                record.zoneSource =
                    resource.locationID.map { "its Autotask location \($0) was not found" }
                    ?? "the resource has no Autotask location"
            }
            let attentionBefore = record.id == nil ? nil : record.attention
            record.settle()
            if record.attention != nil && attentionBefore != record.attention {
                logger.warning(
                    "technician needs attention; no service calls are written for them",
                    metadata: ["resource": "\(id)", "reason": "\(record.attention ?? "")"])
            }
            if before != Self.storedFields(of: record) { try await record.save(on: database) }
            // A resource listed twice (it moved between pages) is updated the second time, not inserted.
            stored[id] = record
            count += 1
        }
        // Resources no longer active stop being planned.
        let active = Set(resources.compactMap(\.id))
        for record in stored.values where record.isActive && !active.contains(record.resourceID) {
            record.isActive = false
            try await record.save(on: database)
        }
        try await importQueueTeams(
            technicians: Set(resources.filter { $0.resourceType != "API" }.compactMap(\.id)))
        return count
    }

    /// Every column the import writes or ``TechnicianRecord/settle()`` derives: a row whose columns are
    /// all equal is not written again.
    static func storedFields(of record: TechnicianRecord) -> [String?] {
        [
            record.name, record.email, String(record.isActive), record.locationID.map(String.init),
            record.importedTimeZone, record.zoneSource, record.importedWorkSchedule, record.timeZone,
            record.workSchedule, record.attention,
        ]
    }

    /// Who works which ticket queue, for booking teams by queue. A tenant whose API user may not read
    /// `ResourceRoleQueues` keeps the teams it had (none at first): logged, not fatal, and Settings
    /// says no queue is known.
    private func importQueueTeams(technicians: Set<Int>) async throws {
        guard
            let rows = try await readAllUnlessRefused(
                ResourceRoleQueue.self,
                "ResourceRoleQueues could not be read; appointment types cannot book a queue's team")
        else { return }
        let labels = try await picklist(Ticket.self, field: "queueID")
        let teams = QueueTeams.teams(
            from: rows.map { ($0.queueID, $0.resourceID, $0.isActive) }, labels: labels, technicians: technicians)
        try await QueueTeams.save(teams, on: database)
    }

    /// `InternalLocations.timeZone` (the Microsoft Time Zone Index value) by location id. Autotask
    /// documents this field, unlike the picklist labels; a tenant whose API user may not read the
    /// entity still gets its zones from the labels, so a refusal is logged, not fatal.
    private func microsoftZoneIndexes() async throws -> [Int: String?] {
        guard
            let locations = try await readAllUnlessRefused(
                InternalLocation.self,
                "InternalLocations could not be read; time zones come from the picklist labels alone")
        else { return [:] }
        return Dictionary(locations.compactMap { location in location.id.map { ($0, location.timeZone) } }) {
            first, _ in first
        }
    }

    /// Every row of an entity the import can do without, or nil when Autotask refuses it (the API
    /// user's security level may not read it): the refusal is logged with what it costs, not fatal.
    private func readAllUnlessRefused<Entity: AutotaskEntity>(_ type: Entity.Type, _ consequence: Logger.Message)
        async throws -> [Entity]?
    {
        do {
            return try await client.query(type, filter: [.all], priority: .background)
        } catch {
            guard Self.isRefusal(error) else { throw error }
            logger.notice(consequence, metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Autotask said no (permissions, an unknown entity) rather than "not now".
    private static func isRefusal(_ error: AutotaskError) -> Bool {
        switch error {
        case .validation, .notFound, .authentication, .unexpectedResponse: true
        case .threadLimit, .budgetExhausted, .budgetReserved, .transport, .outcomeUnknown: false
        }
    }

    /// plan-format.md's `workSchedule` from a location's business hours (whose time of day is the
    /// local hour) and its holidays (days without hours).
    /// The location's business hours and its holiday set's days off, each with its name (two holidays
    /// on one date share it: "Christmas Day / Boxing Day (substitute)").
    static func workSchedule(
        _ location: InternalLocationWithBusinessHours, holidays: [(date: Date, name: String?)]
    ) -> String {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        func clock(_ date: Date?) -> String? {
            guard let date else { return nil }
            let parts = utc.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        }
        let days: [(String, Date?, Date?)] = [
            ("mon", location.mondayBusinessHoursStartTime, location.mondayBusinessHoursEndTime),
            ("tue", location.tuesdayBusinessHoursStartTime, location.tuesdayBusinessHoursEndTime),
            ("wed", location.wednesdayBusinessHoursStartTime, location.wednesdayBusinessHoursEndTime),
            ("thu", location.thursdayBusinessHoursStartTime, location.thursdayBusinessHoursEndTime),
            ("fri", location.fridayBusinessHoursStartTime, location.fridayBusinessHoursEndTime),
            ("sat", location.saturdayBusinessHoursStartTime, location.saturdayBusinessHoursEndTime),
            ("sun", location.sundayBusinessHoursStartTime, location.sundayBusinessHoursEndTime),
        ]
        var weekly = JSONObject()
        for (key, start, end) in days {
            if let start = clock(start), var end = clock(end), start != end {
                if end == "00:00" { end = "24:00" }
                weekly[key] = [[.string(start), .string(end)]]
            } else {
                weekly[key] = []
            }
        }
        var namesByDate: [String: [String]] = [:]
        for holiday in holidays {
            let names = namesByDate[String(AutotaskDateText.day(holiday.date)), default: []]
            let name = holiday.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            namesByDate[String(AutotaskDateText.day(holiday.date))] =
                name.isEmpty || names.contains(name) ? names : names + [name]
        }
        let exceptions = namesByDate.keys.sorted().map { date -> JSONValue in
            let names = namesByDate[date] ?? []
            return names.isEmpty
                ? ["date": .string(date), "shifts": []]
                : ["date": .string(date), "shifts": [], "name": .string(names.joined(separator: " / "))]
        }
        return String(
            decoding: JSONValue.object(["weekly": .object(weekly), "exceptions": .array(exceptions)]).serialized,
            as: UTF8.self)
    }

    private func picklist<Entity: AutotaskEntity>(_ type: Entity.Type, field: String) async throws -> [String: String] {
        let fields = try await client.fields(type, priority: .background)
        let values = fields.first { $0.name.lowercased() == field.lowercased() }?.picklistValues ?? []
        return Dictionary(values.map { ($0.value, $0.label) }) { first, _ in first }
    }

    // MARK: The calendar window: appointments, service calls (own and imported), time off

    private func importCalendar(resourceIDs: [Int], full: Bool, summary: inout Summary) async throws -> Int {
        // The daily full pass also reads the last 14 days, for the connection report's counts of
        // what Autotask's Exchange integration brought in; planning needs only the last day.
        let from = now.addingTimeInterval(full ? -14 * 86_400 : -86_400)
        let to = now.addingTimeInterval(86_400 * Double(windowDays))
        var items: [(resource: Int, source: String, kind: String, start: Date, end: Date, title: String?)] = []
        let known = Set(resourceIDs)

        // Only the fields read below (an Outlook appointment's description can be its whole body).
        let appointments = try await client.query(
            Appointment.self, filter: [.gte("endDateTime", .date(from)), .lte("startDateTime", .date(to))],
            includeFields: ["id", "resourceID", "startDateTime", "endDateTime", "title"])
        for appointment in appointments {
            guard let id = appointment.id, let resource = appointment.resourceID, known.contains(resource),
                let start = appointment.startDateTime, let end = appointment.endDateTime
            else { continue }
            items.append((resource, "appointment:\(id)", "external", start, end, appointment.title))
        }

        let timeOff = try await client.query(
            TimeOffRequest.self, filter: [.eq("status", 2), .gte("endTime", .date(from)), .lte("startTime", .date(to))])
        for request in timeOff {
            guard let id = request.id, let resource = request.resourceID, known.contains(resource),
                let start = request.startTime, let end = request.endTime
            else { continue }
            items.append((resource, "timeoff:\(id)", "timeOff", start, end, request.reason))
        }

        // Only the fields read below: the window holds every call Liftoff wrote (thousands at 500
        // technicians), and decoding fields nobody reads was most of this import's own work.
        let calls = try await client.query(
            ServiceCall.self, filter: [.gte("endDateTime", .date(from)), .lte("startDateTime", .date(to))],
            includeFields: ["id", "description", "startDateTime", "endDateTime"])
        let callIDs = calls.compactMap(\.id)
        let ownLinks = try await StoreRows.links(on: database)
        let ownIDs = Set(ownLinks.compactMap(\.serviceCallID))
        let foreignIDs = Self.callsNeedingOwners(calls, ownIDs: ownIDs)
        var ticketLinks: [ServiceCallTicket] = []
        var resourceLinks: [ServiceCallTicketResource] = []
        for chunk in foreignIDs.batches(of: 400) {
            ticketLinks += try await client.query(ServiceCallTicket.self, filter: [.in("serviceCallID", chunk)])
        }
        let linkIDs = ticketLinks.compactMap(\.id)
        for chunk in linkIDs.batches(of: 400) {
            resourceLinks += try await client.query(
                ServiceCallTicketResource.self, filter: [.in("serviceCallTicketID", chunk)])
        }
        let linkedMarkers = Dictionary(ownLinks.map { ($0.marker, $0.serviceCallID) }) { first, _ in first }
        // Grouped once: searching every link for every call is quadratic in the calls of the window.
        let ticketLinksOfCall = Dictionary(grouping: ticketLinks, by: \.serviceCallID)
        let resourcesOfTicketLink = Dictionary(grouping: resourceLinks, by: \.serviceCallTicketID)
        var ownTimes: [Int: (start: Date, end: Date)] = [:]
        for call in calls {
            guard let id = call.id, let start = call.startDateTime, let end = call.endDateTime else { continue }
            let marker = ServiceCallMarker.find(in: call.description)
            if ownIDs.contains(id) {
                // Liftoff's own call: planned, not planned around.
                summary.ownCalls += 1
                ownTimes[id] = (start, end)
                continue
            }
            if let marker {
                summary.ownCalls += 1
                // A marked call is Liftoff's. If its link still waits for it (a create whose answer
                // was lost), the outbox adopts it; otherwise it is an orphan or a duplicate, and is
                // retired like any call whose block is gone.
                if let linked = linkedMarkers[marker.token], linked == nil { continue }
                try await adoptOrphan(id: id, marker: marker.token, start: start, end: end)
                continue
            }
            let links = (ticketLinksOfCall[id] ?? []).compactMap(\.id)
            let resources = Set(links.flatMap { resourcesOfTicketLink[$0] ?? [] }.map(\.resourceID))
            for resource in resources where known.contains(resource) {
                items.append((resource, "servicecall:\(id)", "imported", start, end, call.description))
            }
        }
        // Liftoff's calls that vanished from the window were deleted in Autotask: their links go, so
        // the blocks get new calls.
        let seen = Set(callIDs)
        // Booked calls are the customer's appointment: the booking follows a move or a delete.
        if try await BookingWrites.followAutotask(
            calls: ownTimes, seen: seen, now: now, on: database,
            lookUp: { ids in
                var found: [Int: (start: Date, end: Date)] = [:]
                for call in try await client.query(
                    ServiceCall.self, filter: [.in("id", ids)], includeFields: ["id", "startDateTime", "endDateTime"])
                {
                    if let id = call.id, let start = call.startDateTime, let end = call.endDateTime {
                        found[id] = (start, end)
                    }
                }
                return found
            })
        {
            summary.busyChanges += 1
        }
        for link in ownLinks
        where link.state == "created" && !link.isComplete && !link.activityID.hasPrefix(BookingWrites.activityPrefix) {
            guard let id = link.serviceCallID, !seen.contains(id), link.end >= from, link.start <= to else { continue }
            logger.notice(
                "a Liftoff service call was deleted in Autotask",
                metadata: ["serviceCall": "\(id)", "activity": "\(link.activityID)"])
            try await ServiceCallLinkRecord.query(on: database).filter(\.$id == link.id).delete()
        }

        // The window is read whole each time, so what is missing from it was deleted in Autotask.
        // Compared as plain rows (``StoreRows``); only what changed is written.
        let existing = try await StoreRows.busy(excludingKind: "fixed", on: database)
        var bySource: [String: StoreRows.Busy] = [:]
        for row in existing { bySource["\(row.resourceID)/\(row.source)"] = row }
        var kept: Set<String> = []
        for item in items {
            let key = "\(item.resource)/\(item.source)"
            kept.insert(key)
            if let row = bySource[key] {
                if row.start == item.start && row.end == item.end && row.title == item.title && row.kind == item.kind {
                    continue
                }
                try await BusyItemRecord.query(on: database).filter(\.$id == row.id)
                    .set(\.$kind, to: item.kind).set(\.$start, to: item.start).set(\.$end, to: item.end)
                    .set(\.$title, to: item.title).update()
            } else {
                let record = BusyItemRecord()
                record.resourceID = item.resource
                record.source = item.source
                record.kind = item.kind
                record.start = item.start
                record.end = item.end
                record.title = item.title
                try await record.save(on: database)
            }
            summary.busyChanges += 1
        }
        for (key, row) in bySource where !kept.contains(key) && row.end >= from {
            try await BusyItemRecord.query(on: database).filter(\.$id == row.id).delete()
            summary.busyChanges += 1
        }
        return items.count
    }
}

extension AutotaskImporter {
    /// The calls whose owners (their tickets' resources) the import must read: those that are not
    /// Liftoff's, by link or by marker. Liftoff's own are planned from their links, so reading their
    /// ticket links too cost two requests per 400 of them every hour for nothing.
    static func callsNeedingOwners(_ calls: [ServiceCall], ownIDs: Set<Int>) -> [Int] {
        calls.compactMap { call in
            guard let id = call.id, !ownIDs.contains(id), ServiceCallMarker.find(in: call.description) == nil
            else { return nil }
            return id
        }
    }

    /// Records a marked call that no link owns (a duplicate of a lost create, or left from an earlier
    /// Store) under a link of its own with no block, so Calendar Reflow retires it.
    func adoptOrphan(id: Int, marker: String, start: Date, end: Date) async throws {
        let key = "orphan-\(id)"
        guard try await ServiceCallLinkRecord.query(on: database).filter(\.$marker == key).first() == nil else {
            return
        }
        let link = ServiceCallLinkRecord()
        link.marker = key
        link.serviceCallID = id
        link.resourceID = 0
        link.ticketID = 0
        link.activityID = "orphan:\(marker)"
        link.part = 1
        link.parts = 1
        link.start = start
        link.end = end
        link.isComplete = false
        link.state = "created"
        try await link.save(on: database)
    }
}

/// Dates as plan-format.md writes them.
enum AutotaskDateText {
    static func instant(_ date: Date) -> String {
        RFC3339.format(Instant(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded())))
    }

    /// The calendar date of a date-only Autotask field (its UTC date).
    static func day(_ date: Date) -> Substring {
        instant(date).prefix(10)
    }
}
