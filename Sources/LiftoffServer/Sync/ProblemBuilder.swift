import Fluent
import Foundation
import LiftoffCore

/// Turns the Store into a planning problem, by way of the `liftoff plan` document format, so the
/// server plans exactly what `liftoff plan` would and reuses its validation.
struct ProblemBuilder {
    let database: Database
    let now: Date
    /// Gives the planner the calls Liftoff owns as `current` blocks, so a reflow moves a call only
    /// when it has to (*A calm calendar*); off, the calendar plan is the earliest-start plan alone.
    var keepsCurrentBlocks = true
    /// One technician's resource id: read and plan only theirs (a Workboard action changed nothing
    /// else, see ``PlanVersion``). Nil reads the whole Store.
    var onlyTechnician: Int? = nil

    /// How far back busy items are read: what ended earlier cannot push anything planned from now
    /// (``PlanSnapshot/replanned(at:)`` drops the same when it plans a held problem at a later instant).
    static let busyLookBack: TimeInterval = 86_400

    struct Result {
        var problem: PlanningProblem
        /// Ticket of each activity, to write service calls against it.
        var ticketOfActivity: [String: Int]
        /// The rows the problem was made of, for the pages that show it.
        var technicians: [TechnicianRecord] = []
        /// The tickets of the open activities read; a full build also has those of pending ones.
        var tickets: [Int: StoreRows.Ticket] = [:]
        var activities: [StoreRows.Activity] = []
        var busy: [StoreRows.Busy] = []
        /// The calls Liftoff owns, as the Store links them (pending creates get negative stand-in ids).
        var owned: [CalendarReflow.OwnedCall] = []
        /// The links behind ``owned``, by the call id used there.
        var linkOfCall: [Int: StoreRows.Link] = [:]
        /// Whose work began, for ``CalendarReflow/changes(planned:owned:now:work:)``.
        var work: [String: CalendarReflow.Work] = [:]
    }

    func build() async throws -> Result {
        var technicians: [JSONValue] = []
        var ticketOfActivity: [String: Int] = [:]
        let only = onlyTechnician
        // Direct SQL into plain values (``StoreRows``): these reads touch every open row of the Store.
        let activities = try await StoreRows.activities(state: "open", resourceID: only, on: database)
        let busy = try await StoreRows.busy(
            endingAfter: now.addingTimeInterval(-Self.busyLookBack), resourceID: only, on: database)
        var technicianQuery = TechnicianRecord.query(on: database).filter(\.$isActive == true)
        var overrideQuery = SettingRecord.query(on: database).filter(\.$key =~ "technician:")
        if let only {
            technicianQuery = technicianQuery.filter(\.$resourceID == only)
            overrideQuery = SettingRecord.query(on: database).filter(\.$key == SettingsStore.technicianKey(only))
        }
        let technicianRecords = try await technicianQuery.sort(\.$resourceID).all()
        let siteOverrides = Dictionary(
            try await overrideQuery.all().map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let ticketRecords =
            only == nil
            ? try await StoreRows.tickets(ofActivitiesIn: ["open", "pending"], on: database)
            : try await StoreRows.tickets(ids: Set(activities.map(\.ticketID)), on: database)
        let tickets = Dictionary(ticketRecords.map { ($0.ticketID, $0) }, uniquingKeysWith: { first, _ in first })
        // Grouped once: filtering the whole list per technician is quadratic at hundreds of technicians.
        let busyByTechnician = Dictionary(grouping: busy, by: \.resourceID)
        let activitiesByTechnician = Dictionary(grouping: activities, by: \.resourceID)
        for technician in technicianRecords {
            guard case .object(let schedule) = try JSONParser.parse(Array(technician.workSchedule.utf8)) else {
                continue
            }
            var object: JSONObject = [
                "id": .string(String(technician.resourceID)), "name": .string(technician.name),
                "timeZone": .string(technician.timeZone), "workSchedule": .object(schedule),
            ]
            if let text = siteOverrides[SettingsStore.technicianKey(technician.resourceID)] {
                do {
                    object["settings"] = try JSONParser.parse(Array(text.utf8))
                } catch {
                    // Written only after the plan reader accepted it, so this is a hand edit: loud.
                    database.logger.error(
                        "the stored settings of technician \(technician.resourceID) cannot be read (\(error)); the site's apply until they are saved again"
                    )
                }
            }
            object["busy"] = .array(
                (busyByTechnician[technician.resourceID] ?? []).sorted {
                    ($0.start, $0.source) < ($1.start, $1.source)
                }.map { item in
                    var entry: JSONObject = [
                        "id": .string(item.source), "kind": .string(item.kind),
                        "start": .string(AutotaskDateText.instant(item.start)),
                        "end": .string(AutotaskDateText.instant(item.end)),
                    ]
                    if let showAs = item.showAs { entry["showAs"] = .string(showAs) }
                    if let status = item.status { entry["status"] = .string(status) }
                    return .object(entry)
                })
            var planned: [JSONValue] = []
            for activity in activitiesByTechnician[technician.resourceID] ?? [] {
                guard let ticket = tickets[activity.ticketID] else { continue }
                ticketOfActivity[activity.activityID] = activity.ticketID
                planned.append(
                    [
                        "id": .string(activity.activityID), "ticketId": .string(String(activity.ticketID)),
                        "priority": .integer(Int64(max(1, ticket.priorityRank))),
                        "durationMinutes": .integer(Int64(max(1, activity.durationMinutes))),
                        "ticketCreated": .string(AutotaskDateText.instant(ticket.createdAt)),
                        "sleepUntil": activity.sleepUntil.map { .string(AutotaskDateText.instant($0)) } ?? nil,
                        "startedAt": activity.startedAt.map { .string(AutotaskDateText.instant($0)) } ?? nil,
                        "dueDateTime": ticket.dueAt.map { .string(AutotaskDateText.instant($0)) } ?? nil,
                    ])
            }
            object["nextActivities"] = .array(planned)
            technicians.append(.object(object))
        }
        var root: JSONObject = ["now": .string(AutotaskDateText.instant(now)), "technicians": .array(technicians)]
        if let text = try await SettingsStore.get(SettingsStore.siteKey, on: database),
            let settings = try? JSONParser.parse(Array(text.utf8))
        {
            root["settings"] = settings
        }
        var problem: PlanningProblem
        do {
            problem = try PlanDocumentReader.problem(from: .object(root))
        } catch {
            throw ReflowError(message: "the Store does not make a valid planning problem: \(error.description)")
        }
        let (owned, linkOfCall) = try await ownedCalls()
        if keepsCurrentBlocks {
            let current = CalendarReflow.current(owned: owned, now: CalendarReflowJob.instant(now))
            for index in problem.technicians.indices {
                problem.technicians[index].current = current[problem.technicians[index].id] ?? []
            }
        }
        // Whose work began, from the same records the plan was made of, and completed activities
        // recent enough to have a call under way.
        var work: [String: CalendarReflow.Work] = [:]
        for activity in activities {
            if let at = activity.startedAt { work[activity.activityID] = .started(at: CalendarReflowJob.instant(at)) }
        }
        let recentlyCompleted = try await StoreRows.activities(
            state: "completed", resourceID: only, endedAfter: now.addingTimeInterval(-14 * 86_400), on: database)
        for activity in recentlyCompleted {
            work[activity.activityID] =
                activity.startedAt.map { .started(at: CalendarReflowJob.instant($0)) } ?? .completed
        }
        return Result(
            problem: problem, ticketOfActivity: ticketOfActivity, technicians: technicianRecords, tickets: tickets,
            activities: activities, busy: busy, owned: owned, linkOfCall: linkOfCall, work: work)
    }

    /// The calls Liftoff owns, as they will be once the outbox has written what is waiting: a move
    /// or finish still pending (an outage, a budget pause) counts as done, and a call waiting to be
    /// removed is no longer owned. Planning from the link's old times instead could keep a block
    /// where a queued move is about to take its call away.
    ///
    /// Every link owns its block, also one whose create is still pending (it gets a stand-in negative
    /// id): otherwise a pending block would be created a second time.
    private func ownedCalls() async throws -> ([CalendarReflow.OwnedCall], [Int: StoreRows.Link]) {
        let links = try await StoreRows.links(resourceID: onlyTechnician, on: database)
        let pending =
            links.isEmpty
            ? [] : try await StoreRows.pendingWrites(linkIDs: onlyTechnician.map { _ in links.map(\.id) }, on: database)
        let pendingByLink = Dictionary(grouping: pending, by: \.linkID)
        var linkOfCall: [Int: StoreRows.Link] = [:]
        var owned: [CalendarReflow.OwnedCall] = []
        // A booked call is fixed, not planned: Calendar Reflow never moves it (``BookingWrites``).
        for link in links where !link.activityID.hasPrefix(BookingWrites.activityPrefix) {
            var (start, end, isComplete) = (link.start, link.end, link.isComplete)
            var removed = false
            for entry in pendingByLink[link.id] ?? [] {
                switch entry.kind {
                case "move":
                    start = entry.start ?? start
                    end = entry.end ?? end
                case "finish":
                    end = entry.end ?? end
                    isComplete = true
                case "remove": removed = true
                default: break
                }
            }
            if removed { continue }
            let id = link.serviceCallID ?? Self.standInID(link.id)
            linkOfCall[id] = link
            owned.append(
                CalendarReflow.OwnedCall(
                    serviceCallId: id, technicianId: String(link.resourceID), activityId: link.activityID,
                    part: link.part, start: CalendarReflowJob.instant(start), end: CalendarReflowJob.instant(end),
                    isComplete: isComplete))
        }
        return (owned, linkOfCall)
    }
}

extension ProblemBuilder {
    /// The id a link whose create is still pending goes by: negative (no Autotask id is), and taken
    /// from the link's own UUID so it is the same whether one technician or everyone is read.
    /// Sixty bits: among tens of thousands of pending creates two never meet.
    static func standInID(_ link: UUID) -> Int {
        -(Int(link.uuidString.replacingOccurrences(of: "-", with: "").prefix(15), radix: 16) ?? 0) - 1
    }
}

/// A reflow that could not run, with what to do about it.
struct ReflowError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
