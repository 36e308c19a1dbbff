// TimeZest bookings: the service calls clients booked on open tickets, placed after the tickets and
// every other calendar item so they only take time that is still free.

import LiftoffCore

extension DemoMSP.Tenant {
    /// 8 for the base team of twelve.
    var timeZestBookings: Int { scaled(8) }

    /// TimeZest books a slot the client picked on an open service-desk ticket: a service call, its
    /// ServiceCallTicket and the ServiceCallTicketResource naming the ticket's technician. Slots lie
    /// at least an hour after `now`, this week or next, clear of everything already in the calendar.
    mutating func serviceCallRecords() -> (calls: [JSONObject], tickets: [JSONObject], resources: [JSONObject]) {
        var rng = random(.serviceCalls)
        let candidates = ticketDrafts.indices.filter { index in
            let draft = ticketDrafts[index]
            return draft.completed == nil && draft.technician != nil && draft.queue == .serviceDesk
                && draft.status != DemoMSP.TicketStatus.waitingCustomer
        }
        var calls: [JSONObject] = []
        var links: [JSONObject] = []
        var resources: [JSONObject] = []
        for ticketIndex in rng.shuffled(candidates) where calls.count < timeZestBookings {
            let draft = ticketDrafts[ticketIndex]
            guard let technician = draft.technician else { continue }
            let minutes = rng.chance(0.5) ? 30 : 60
            let days = workdays(technician: technician, weeks: 0..<2)
            guard
                let span = freeSlot(
                    technician: technician, days: days, minutes: minutes, notBefore: now + 3_600, rng: &rng)
            else { continue }
            busy[technician, default: []].append(span)
            let booked = draft.created + Int64(Double(now - draft.created) * rng.unit())
            let callID = DemoMSP.IDs.firstServiceCall + Int64(calls.count)
            let linkID = DemoMSP.IDs.firstServiceCallTicket + Int64(links.count)
            calls.append([
                "id": .integer(callID),
                "companyID": .integer(DemoMSP.IDs.firstCompany + Int64(draft.client)),
                "companyLocationID": nil,
                "description": .string("TimeZest: \(draft.title) — booked by \(draft.contact)"),
                "startDateTime": .string(DemoMSP.UTC.format(span.start)),
                "endDateTime": .string(DemoMSP.UTC.format(span.end)),
                "duration": .number(Double(minutes) / 60),
                "status": 1,
                "isComplete": 0,
                "createDateTime": .string(DemoMSP.UTC.format(booked)),
                "creatorResourceID": nil,
                "lastModifiedDateTime": .string(DemoMSP.UTC.format(booked)),
                "canceledDateTime": nil,
                "canceledByResourceID": nil,
                "userDefinedFields": [],
            ])
            links.append([
                "id": .integer(linkID),
                "serviceCallID": .integer(callID),
                "ticketID": .integer(DemoMSP.IDs.firstTicket + Int64(ticketIndex)),
                "userDefinedFields": [],
            ])
            resources.append([
                "id": .integer(DemoMSP.IDs.firstServiceCallTicketResource + Int64(resources.count)),
                "serviceCallTicketID": .integer(linkID),
                "resourceID": .integer(resourceID(technician)),
                "userDefinedFields": [],
            ])
        }
        return (calls, links, resources)
    }
}
