import Fluent
import Foundation
import LiftoffCore

/// Turns the Store into a planning problem, by way of the `liftoff plan` document format, so the
/// server plans exactly what `liftoff plan` would and reuses its validation.
struct ProblemBuilder {
    let database: Database
    let now: Date

    struct Result {
        var problem: PlanningProblem
        /// Ticket of each activity, to write service calls against it.
        var ticketOfActivity: [String: Int]
        /// The records the problem was made of, for the pages that show it.
        var technicians: [TechnicianRecord] = []
        var tickets: [Int: TicketRecord] = [:]
        var activities: [NextActivityRecord] = []
        var busy: [BusyItemRecord] = []
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
        do {
            return Result(
                problem: try PlanDocumentReader.problem(from: .object(root)), ticketOfActivity: ticketOfActivity,
                technicians: technicianRecords, tickets: tickets, activities: activities, busy: busy)
        } catch {
            throw ReflowError(message: "the Store does not make a valid planning problem: \(error.description)")
        }
    }
}

/// A reflow that could not run, with what to do about it.
struct ReflowError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
