// The tenant's calendars: time-off requests first, since approved time off blocks everything after
// it, then each technician's appointments as Exchange syncs them.

import Foundation
import LiftoffCore

extension DemoMSP.Tenant {
    /// Approved time off blocks later calendar items (whole days, or the hours of a partial day); the
    /// pending requests do not. The base team has one request of each kind, a larger team cycles
    /// through the kinds, each request for a different technician.
    mutating func timeOffRequestRecords() -> [JSONObject] {
        var rng = random(.timeOff)
        let people = rng.shuffled(Array(technicians.indices))
        // (day offsets from this Monday to draw from, partial local minutes, reason, status)
        let kinds: [(days: ClosedRange<Int>, partial: (start: Int, end: Int)?, reason: String, status: Int64)] = [
            (0...4, nil, "Vacation", 2),
            (0...4, (14 * 60, 16 * 60), "Doctor's appointment", 2),
            (7...8, nil, "Vacation", 2),
            (10...11, nil, "Vacation", 2),
            (8...10, nil, "Vacation", 1),
        ]
        // Fewer plans than technicians (5 per 12), so each goes to a different person in `people`.
        let plans = (0..<scaled(kinds.count)).map { kinds[$0 % kinds.count] }.map { kind in
            (offset: Int64(rng.int(kind.days)), partial: kind.partial, reason: kind.reason, status: kind.status)
        }
        var records: [JSONObject] = []
        for (index, plan) in plans.enumerated() {
            let technician = people[index]
            let office = technicians[technician].office
            let week = plan.offset / 7
            let candidates = workdays(technician: technician, weeks: week..<(week + 1))
            guard
                let day = candidates.min(by: {
                    abs($0 - weekStartDay - plan.offset) < abs($1 - weekStartDay - plan.offset)
                })
            else { continue }
            let start = instant(office: office, day: day, minute: plan.partial?.start ?? DemoMSP.businessDayStartMinute)
            let end = instant(office: office, day: day, minute: plan.partial?.end ?? DemoMSP.businessDayEndMinute)
            // A full day is 9 business hours less an unpaid lunch hour.
            let hours = plan.partial == nil ? 8.0 : Double(end - start) / 3_600
            let created = now - Int64(rng.int(2 * 24...20 * 24)) * 3_600 - Int64(rng.int(0...59)) * 60
            let approved = plan.status == 2 ? min(now, created + Int64(rng.int(1...30)) * 3_600) : nil
            let approverIndex = technicians.indices.first {
                technicians[$0].office == office && $0 != technician
            }
            let approver = approverIndex.map { resourceID($0) } ?? resourceID(technician)
            records.append([
                "id": .integer(DemoMSP.IDs.firstTimeOffRequest + Int64(records.count)),
                "resourceID": .integer(resourceID(technician)),
                "requestDate": .string(DemoMSP.UTC.format(day * DemoMSP.UTC.day)),
                "startTime": .string(DemoMSP.UTC.format(start)),
                "endTime": .string(DemoMSP.UTC.format(end)),
                "hours": .number(hours),
                "status": .integer(plan.status),
                "timeOffRequestType": 1,
                "reason": .string(plan.reason),
                "rejectReason": nil,
                "createDateTime": .string(DemoMSP.UTC.format(created)),
                "createdByResourceID": .integer(resourceID(technician)),
                "approvedDateTime": Self.time(approved),
                "approveRejectResourceID": approved == nil ? nil : .integer(approver),
                "lastApprovedLevel": approved == nil ? nil : 1,
                "lastModifiedDateTime": .string(DemoMSP.UTC.format(approved ?? created)),
                "lastModifiedByResourceID": .integer(approved == nil ? resourceID(technician) : approver),
                "userDefinedFields": [],
            ])
            if plan.status == 2 {
                if plan.partial == nil {
                    daysOff[technician, default: []].insert(day)
                } else {
                    busy[technician, default: []].append(DemoMSP.Span(start: start, end: end))
                }
            }
        }
        return records
    }

    private enum Meeting {
        case calendly, findTime, personal, lunch
    }

    /// What Exchange hands Autotask for each technician's week: a daily stand-up, client calls booked
    /// through Calendly, meetings arranged with FindTime, private items (title "Appointment", no
    /// description) and the odd lunch.
    mutating func appointmentRecords() -> [JSONObject] {
        var rng = random(.appointments)
        var records: [JSONObject] = []
        for (technician, staff) in technicians.enumerated() {
            let office = staff.office
            let days = workdays(technician: technician, weeks: 0..<2)
            let regionalClients = DemoMSP.clients.filter { $0.office == office }
            var items: [(span: DemoMSP.Span, title: String, description: String?, created: Int64, updated: Int64)] = []
            func take(_ span: DemoMSP.Span, _ title: String, _ description: String?, rng: inout SplitMix64) {
                let latest = min(span.start, now)
                let created = latest - Int64(rng.int(1 * 60...21 * 24 * 60)) * 60
                let updated = created + Int64(Double(latest - created) * rng.unit() * 0.5)
                items.append((span, title, description, created, updated))
                busy[technician, default: []].append(span)
            }

            // The recurring series was set up long before this week.
            let seriesCreated = weekStart - 97 * DemoMSP.UTC.day + Int64(technician) * 600
            for day in days {
                let start = instant(office: office, day: day, minute: DemoMSP.offices[office].standUpMinute)
                let span = DemoMSP.Span(start: start, end: start + 15 * 60)
                guard !(busy[technician] ?? []).contains(where: { $0.overlaps(span) }) else { continue }
                items.append(
                    (
                        span, "Team stand-up",
                        "Daily service desk stand-up on Teams: yesterday's tickets, today's plan, blockers.",
                        seriesCreated, seriesCreated
                    ))
                busy[technician, default: []].append(span)
            }

            var meetings: [Meeting] = [.calendly, .findTime]
            if technician % 2 == 0 || rng.chance(0.4) { meetings.append(.personal) }
            for _ in 0..<rng.int(0...3) { meetings.append(rng.pick([.calendly, .findTime, .findTime, .personal])) }
            if rng.chance(0.3) { meetings.append(.lunch) }

            for meeting in meetings {
                let client = rng.pick(regionalClients)
                let contact = rng.pick(client.contacts)
                switch meeting {
                case .calendly:
                    let onboarding = rng.chance(0.5)
                    let minutes = onboarding ? rng.pick([30, 45, 60]) : rng.pick([30, 60])
                    guard let span = freeSlot(technician: technician, days: days, minutes: minutes, rng: &rng)
                    else { continue }
                    let title =
                        onboarding
                        ? "Calendly: \(client.name) onboarding call"
                        : "Calendly: Quarterly review with \(client.name)"
                    let description =
                        "Booked through Calendly by \(contact) (\(client.name)).\nEvent type: "
                        + (onboarding ? "Onboarding call" : "Quarterly business review")
                        + "\nLocation: Microsoft Teams meeting"
                    take(span, title, description, rng: &rng)
                case .findTime:
                    let minutes = rng.pick([30, 60])
                    guard let span = freeSlot(technician: technician, days: days, minutes: minutes, rng: &rng)
                    else { continue }
                    let topic = rng.pick(DemoMSP.findTimeTopics).replacingOccurrences(
                        of: "{company}", with: client.name)
                    let attendees = [staff] + (colleague(of: technician, rng: &rng).map { [$0] } ?? [])
                    take(
                        span, "FindTime: \(topic)",
                        "Time picked with FindTime.\nAttendees: "
                            + attendees.map { "\($0.firstName) \($0.lastName)" }.joined(separator: ", "),
                        rng: &rng)
                case .personal:
                    let minutes = rng.pick([30, 60, 90, 120])
                    guard let span = freeSlot(technician: technician, days: days, minutes: minutes, rng: &rng)
                    else { continue }
                    take(span, "Appointment", nil, rng: &rng)
                case .lunch:
                    guard
                        let span = freeSlot(
                            technician: technician, days: days, minutes: 60, startMinutes: [12 * 60, 12 * 60 + 30],
                            rng: &rng)
                    else { continue }
                    take(span, "Lunch", nil, rng: &rng)
                }
            }

            for item in items.sorted(by: { $0.span.start < $1.span.start }) {
                records.append([
                    "id": .integer(DemoMSP.IDs.firstAppointment + Int64(records.count)),
                    "resourceID": .integer(resourceID(technician)),
                    "startDateTime": .string(DemoMSP.UTC.format(item.span.start)),
                    "endDateTime": .string(DemoMSP.UTC.format(item.span.end)),
                    "title": .string(item.title),
                    "description": item.description.map { JSONValue.string($0) } ?? .null,
                    "createDateTime": .string(DemoMSP.UTC.format(item.created)),
                    "creatorResourceID": .integer(resourceID(technician)),
                    "updateDateTime": .string(DemoMSP.UTC.format(item.updated)),
                    "userDefinedFields": [],
                ])
            }
        }
        return records
    }

    /// Someone to meet: a colleague from the same office, else anyone else, else nobody. Only teams
    /// of fewer than twelve can leave a technician alone in an office; the fallbacks keep them working.
    private func colleague(of technician: Int, rng: inout SplitMix64) -> DemoMSP.Staff? {
        let others = technicians.indices.filter { $0 != technician }
        let sameOffice = others.filter { technicians[$0].office == technicians[technician].office }
        guard let pool = [sameOffice, others].first(where: { !$0.isEmpty }) else { return nil }
        return technicians[rng.pick(pool)]
    }
}
