// The service desk backlog: open and recently completed tickets from the templates, assigned the way
// the MSP routes work, with ids and ticket numbers in creation order.

import Foundation
import LiftoffCore

extension DemoMSP.Tenant {
    /// 250 for the base team of twelve.
    var openTicketCount: Int { scaled(250) }
    static let completedTicketCount = 30

    /// A technician for a client's ticket: normally from the client's office; the Pune NOC takes
    /// half the monitoring alerts and some overflow (follow-the-sun).
    private func assignee(for client: DemoMSP.Client, queue: DemoMSP.Queue, rng: inout SplitMix64) -> Int {
        let pune = 2
        let office: Int
        if client.office == pune {
            office = pune
        } else if queue == .monitoringAlerts {
            office = rng.chance(0.5) ? pune : client.office
        } else {
            office = rng.chance(0.12) ? pune : client.office
        }
        // Only teams of fewer than three can have an office without technicians; anyone takes those.
        let local = technicians.indices.filter { technicians[$0].office == office }
        return rng.pick(local.isEmpty ? Array(technicians.indices) : local)
    }

    mutating func ticketRecords() -> [JSONObject] {
        var rng = random(.tickets)
        let maxAge: Int64 = 60 * DemoMSP.UTC.day
        var drafts: [DemoMSP.TicketDraft] = []
        let clientWeights = DemoMSP.clients.enumerated().map { ($0.offset, $0.element.weight) }
        for index in 0..<(openTicketCount + Self.completedTicketCount) {
            let isCompleted = index >= openTicketCount
            let clientIndex = rng.weighted(clientWeights)
            let client = DemoMSP.clients[clientIndex]
            let template = rng.pick(DemoMSP.ticketTemplates)
            let contact = rng.pick(client.contacts)
            let person = rng.pick(DemoMSP.clientFirstNames) + " " + rng.pick(DemoMSP.clientLastNames)
            let server = rng.pick(client.servers)
            let room = rng.pick(client.rooms)
            func fill(_ text: String) -> String {
                text.replacingOccurrences(of: "{company}", with: client.name)
                    .replacingOccurrences(of: "{contact}", with: contact)
                    .replacingOccurrences(of: "{person}", with: person)
                    .replacingOccurrences(of: "{server}", with: server)
                    .replacingOccurrences(of: "{app}", with: client.app)
                    .replacingOccurrences(of: "{room}", with: room)
                    .replacingOccurrences(of: "{city}", with: client.city)
            }
            let drawn = rng.weighted([
                (DemoMSP.Priority.critical, 5), (DemoMSP.Priority.high, 20), (DemoMSP.Priority.medium, 45),
                (DemoMSP.Priority.low, 30),
            ])
            // Nobody raises a project request as Critical; it goes in as High instead.
            let priority =
                template.queue == .projectsIntake && drawn == DemoMSP.Priority.critical ? DemoMSP.Priority.high : drawn
            // Ages skew recent (most of a backlog is days old, a tail is weeks old), and people
            // rarely raise tickets at weekends, though monitoring never sleeps.
            let minAge: Int64 = isCompleted ? 4 * 3_600 : 3_600
            var created = now
            for _ in 0..<4 {
                created = now - minAge - Int64(Double(maxAge - minAge) * pow(rng.unit(), 1.5))
                if template.queue == .monitoringAlerts
                    || DemoMSP.UTC.weekday(DemoMSP.UTC.floorDivide(created, DemoMSP.UTC.day)) < 5
                {
                    break
                }
            }
            let technician: Int? =
                !isCompleted && rng.chance(0.1) ? nil : assignee(for: client, queue: template.queue, rng: &rng)
            let status: Int64
            if isCompleted {
                status = DemoMSP.TicketStatus.complete
            } else if technician == nil {
                status = DemoMSP.TicketStatus.new
            } else {
                status = rng.weighted([
                    (DemoMSP.TicketStatus.new, 20), (DemoMSP.TicketStatus.inProgress, 50),
                    (DemoMSP.TicketStatus.waitingCustomer, 30),
                ])
            }
            let completed: Int64? =
                isCompleted ? created + 1_800 + Int64(Double(now - created - 1_800) * pow(rng.unit(), 2)) : nil
            let lastActivity = completed ?? created + Int64(Double(now - created) * rng.unit())
            let due: Int64? =
                rng.chance(0.08)
                ? nil : DemoMSP.dueDate(created: created, priority: priority, completed: completed != nil, now: now)
            let hours =
                template.queue == .projectsIntake
                ? rng.pick([2.0, 3.0, 4.0, 6.0]) : rng.pick([0.25, 0.5, 0.5, 0.75, 1.0, 1.0, 1.5, 2.0, 3.0])
            drafts.append(
                DemoMSP.TicketDraft(
                    created: created, completed: completed, lastActivity: lastActivity, due: due,
                    client: clientIndex, contact: contact, title: fill(template.title),
                    description: fill(template.description), status: status, priority: priority,
                    queue: template.queue, technician: technician, estimatedHours: hours))
        }
        // Ids and ticket numbers follow creation order, as they do in a real tenant.
        ticketDrafts = drafts.enumerated()
            .sorted { ($0.element.created, $0.offset) < ($1.element.created, $1.offset) }
            .map(\.element)

        var records: [JSONObject] = []
        var sequence = 0
        var sequenceDay = ""
        for (index, draft) in ticketDrafts.enumerated() {
            let day = DemoMSP.UTC.compactDate(draft.created)
            sequence = day == sequenceDay ? sequence + 1 : 1
            sequenceDay = day
            records.append([
                "id": .integer(DemoMSP.IDs.firstTicket + Int64(index)),
                "ticketNumber": .string("T\(day).\(DemoMSP.UTC.pad(sequence, 4))"),
                "title": .string(draft.title),
                "description": .string(draft.description),
                "status": .integer(draft.status),
                "priority": .integer(draft.priority),
                "queueID": .integer(draft.queue.rawValue),
                "companyID": .integer(DemoMSP.IDs.firstCompany + Int64(draft.client)),
                "assignedResourceID": Self.integer(draft.technician.map(resourceID)),
                "assignedResourceRoleID": draft.technician == nil ? nil : .integer(DemoMSP.IDs.serviceDeskRole),
                "createDate": .string(DemoMSP.UTC.format(draft.created)),
                "lastActivityDate": .string(DemoMSP.UTC.format(draft.lastActivity)),
                "dueDateTime": Self.time(draft.due),
                "estimatedHours": .number(draft.estimatedHours),
                "completedDate": Self.time(draft.completed),
                "serviceLevelAgreementID": .integer(DemoMSP.IDs.serviceLevelAgreement),
                "userDefinedFields": [],
            ])
        }
        return records
    }
}
