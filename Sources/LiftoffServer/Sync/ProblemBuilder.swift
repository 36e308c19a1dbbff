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

    struct Result {
        var problem: PlanningProblem
        /// Ticket of each activity, to write service calls against it.
        var ticketOfActivity: [String: Int]
        /// The records the problem was made of, for the pages that show it.
        var technicians: [TechnicianRecord] = []
        var tickets: [Int: TicketRecord] = [:]
        var activities: [NextActivityRecord] = []
        var busy: [BusyItemRecord] = []
        /// The calls Liftoff owns, as the Store links them (pending creates get negative stand-in ids).
        var owned: [CalendarReflow.OwnedCall] = []
        /// The links behind ``owned``, by the call id used there.
        var linkOfCall: [Int: ServiceCallLinkRecord] = [:]
    }

    func build() async throws -> Result {
        var technicians: [JSONValue] = []
        var ticketOfActivity: [String: Int] = [:]
        let tickets = Dictionary(
            try await TicketRecord.query(on: database).all().map { ($0.ticketID, $0) },
            uniquingKeysWith: { first, _ in first })
        let activities = try await NextActivityRecord.query(on: database).filter(\.$state == "open").all()
        let busy = try await BusyItemRecord.query(on: database).filter(\.$end > now.addingTimeInterval(-86_400)).all()
        let technicianRecords = try await TechnicianRecord.query(on: database).filter(\.$isActive == true)
            .sort(\.$resourceID).all()
        let siteOverrides = Dictionary(
            try await SettingRecord.query(on: database).filter(\.$key =~ "technician:").all().map {
                ($0.key, $0.value)
            },
            uniquingKeysWith: { first, _ in first })
        for technician in technicianRecords {
            guard case .object(let schedule) = try JSONParser.parse(Array(technician.workSchedule.utf8)) else {
                continue
            }
            var object: JSONObject = [
                "id": .string(String(technician.resourceID)), "name": .string(technician.name),
                "timeZone": .string(technician.timeZone), "workSchedule": .object(schedule),
            ]
            if let text = technician.settings, let settings = try? JSONParser.parse(Array(text.utf8)) {
                object["settings"] = settings
            } else if let text = siteOverrides[SettingsStore.technicianKey(technician.resourceID)],
                let settings = try? JSONParser.parse(Array(text.utf8))
            {
                object["settings"] = settings
            }
            object["busy"] = .array(
                busy.filter { $0.resourceID == technician.resourceID }.sorted {
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
            for activity in activities where activity.resourceID == technician.resourceID {
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
        // Every link owns its block, also one whose create is still pending (it gets a stand-in
        // negative id): otherwise a pending block would be created a second time.
        var linkOfCall: [Int: ServiceCallLinkRecord] = [:]
        let owned = try await ServiceCallLinkRecord.query(on: database).all().enumerated().map { index, link in
            let id = link.serviceCallID ?? -(index + 1)
            linkOfCall[id] = link
            return CalendarReflow.OwnedCall(
                serviceCallId: id, technicianId: String(link.resourceID), activityId: link.activityID,
                part: link.part, start: CalendarReflowJob.instant(link.start),
                end: CalendarReflowJob.instant(link.end), isComplete: link.isComplete)
        }
        if keepsCurrentBlocks {
            let current = CalendarReflow.current(owned: owned, now: CalendarReflowJob.instant(now))
            for index in problem.technicians.indices {
                problem.technicians[index].current = current[problem.technicians[index].id] ?? []
            }
        }
        return Result(
            problem: problem, ticketOfActivity: ticketOfActivity, technicians: technicianRecords, tickets: tickets,
            activities: activities, busy: busy, owned: owned, linkOfCall: linkOfCall)
    }

    /// Activities whose work has begun — started, or completed — so their calls record work that
    /// happened; every other call follows its block (``CalendarReflow/changes(planned:owned:now:started:)``).
    static func startedActivities(on database: Database) async throws -> Set<String> {
        let records = try await NextActivityRecord.query(on: database).group(.or) { group in
            group.filter(\.$startedAt != nil).filter(\.$state == "completed")
        }.all()
        return Set(records.map(\.activityID))
    }
}

/// A reflow that could not run, with what to do about it.
struct ReflowError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
