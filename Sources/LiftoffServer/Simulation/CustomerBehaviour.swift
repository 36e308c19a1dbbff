import AutotaskAPI
import Foundation

/// The world around the technicians, acting in their business hours through the PSA's API as the
/// real systems do:
///
/// - new tickets arrive assigned to them (about five a day each; one in ten Critical, due in four
///   hours, one in five High, due the next day);
/// - customers book 30-minute calls — through Calendly (an Appointment) or TimeZest (a service call
///   with its ticket and resource links, as TimeZest writes them) — into a slot on the half hour,
///   at least an hour ahead and within the next one to three days, inside working hours and clear of
///   everything on the technician's calendar; a booking that finds no slot is counted as missed;
/// - now and then a Calendly or FindTime meeting in the next three days is cancelled (deleted).
///
/// Whether something happens, and its details, come from the seed and the day, minute and
/// technician, so every mode sees the same arrivals; only where a booking lands differs, because
/// that depends on the calendar Liftoff left free.
extension SimulatedWorld {
    /// Tickets per technician per working hour.
    static let ticketsPerHour = 0.55
    /// Booking attempts per technician per working hour, and the share through Calendly.
    static let bookingsPerHour = 0.15
    static let calendlyShare = 0.6
    /// Cancellations per technician per working hour.
    static let cancellationsPerHour = 0.04

    func actAsPeople(at now: Int64, minute: Int, tick: Int64) async throws {
        if mirrorIsStale { try await refreshMirror() }
        try await actAsTechnicians(at: now, tick: tick)
        let perTick = Double(options.tickMinutes) / 60
        for technician in technicians {
            let resourceID = technician.resourceID
            guard isInShift(resourceID, at: now) else { continue }
            var arrival = SimulationRandom(seed: options.seed, .newTicket, dayIndex, minute, resourceID)
            if arrival.chance(Self.ticketsPerHour * perTick) {
                try await raiseTicket(for: resourceID, at: now, dice: &arrival)
            }
            var booking = SimulationRandom(seed: options.seed, .booking, dayIndex, minute, resourceID)
            if booking.chance(Self.bookingsPerHour * perTick) {
                if mirrorIsStale { try await refreshMirror() }
                try await book(resourceID, at: now, dice: &booking)
            }
            var cancellation = SimulationRandom(seed: options.seed, .cancellation, dayIndex, minute, resourceID)
            if cancellation.chance(Self.cancellationsPerHour * perTick) {
                if mirrorIsStale { try await refreshMirror() }
                try await cancelMeeting(of: resourceID, at: now, dice: &cancellation)
            }
        }
    }

    private func raiseTicket(for resourceID: Int, at now: Int64, dice: inout SimulationRandom) async throws {
        guard let companies = clientsOfTechnicians[resourceID], !companies.isEmpty,
            let role = serviceDeskRoles[resourceID]
        else { return }
        let priority = dice.weighted([(4, 10), (1, 20), (2, 40), (3, 30)])
        let dueHours = [4: 4, 1: 24, 2: 72, 3: 168][priority] ?? 72
        let queue = dice.weighted([(29_683_354, 70), (29_683_355, 20), (29_683_356, 10)])
        let title = dice.pick(Self.ticketTitles)
        let ticket = Ticket(
            title: title, description: "Raised during the simulated day.", status: 1, priority: priority,
            queueID: queue, assignedResourceID: resourceID, assignedResourceRoleID: role,
            companyID: dice.pick(companies), dueDateTime: Self.date(now + Int64(dueHours) * 3_600_000),
            estimatedHours: dice.pick([0.5, 1.0, 1.5, 2.0]))
        let ticketID = try await peopleClient.create(ticket)
        figures.ticketsArrived += 1
        trace("\(resourceID): new ticket \(ticketID), priority \(priority), due in \(dueHours) h")
    }

    private func book(_ resourceID: Int, at now: Int64, dice: inout SimulationRandom) async throws {
        let viaCalendly = dice.chance(Self.calendlyShare)
        let days = Int64(dice.int(1...3))
        let halfHour: Int64 = 1_800_000
        let earliest = (now + 3_600_000 + halfHour - 1) / halfHour * halfHour
        var slots: [Stretch] = []
        for start in stride(from: earliest, to: now + days * 86_400_000, by: Int(halfHour)) {
            let slot = Stretch(start: start, end: start + halfHour)
            if (shifts[resourceID] ?? []).contains(where: { $0.contains(slot) }) && mirror.isFree(resourceID, slot) {
                slots.append(slot)
            }
        }
        figures.bookingAttempts += 1
        guard !slots.isEmpty else {
            trace("\(resourceID): a customer found no free slot in the next \(days) day(s)")
            return
        }
        let slot = slots[dice.int(0...(slots.count - 1))]
        try await refreshStoreIfStale()
        let openTickets = tickets.values.filter { $0.assignedResourceID == resourceID && $0.isOpen }
            .sorted { $0.ticketID < $1.ticketID }
        if viaCalendly || openTickets.isEmpty {
            let company = dice.pick(Self.customerNames)
            _ = try await peopleClient.create(
                Appointment(
                    resourceID: resourceID, startDateTime: Self.date(slot.start), endDateTime: Self.date(slot.end),
                    title: "Calendly: \(company) call",
                    description: "Booked through Calendly by \(company).\nLocation: Microsoft Teams meeting"))
        } else {
            let ticket = dice.pick(openTickets)
            let callID = try await peopleClient.create(
                ServiceCall(
                    companyID: ticket.companyID, description: "TimeZest: \(ticket.title) — booked by the customer",
                    startDateTime: Self.date(slot.start), endDateTime: Self.date(slot.end), duration: 0.5, status: 1,
                    isComplete: 0))
            let linkID = try await peopleClient.create(
                ServiceCallTicket(serviceCallID: callID, ticketID: ticket.ticketID))
            _ = try await peopleClient.create(
                ServiceCallTicketResource(serviceCallTicketID: linkID, resourceID: resourceID))
        }
        figures.bookingsPlaced += 1
        trace(
            "\(resourceID): booked through \(viaCalendly || openTickets.isEmpty ? "Calendly" : "TimeZest") at "
                + AutotaskDateText.instant(Self.date(slot.start)))
        mirrorIsStale = true
        noteChange(at: now)
    }

    private func cancelMeeting(of resourceID: Int, at now: Int64, dice: inout SimulationRandom) async throws {
        let meetings = (mirror.appointments[resourceID] ?? []).filter {
            $0.span.start > now && $0.span.start < now + 3 * 86_400_000
                && ($0.title.hasPrefix("Calendly:") || $0.title.hasPrefix("FindTime:"))
        }
        guard !meetings.isEmpty else { return }
        let meeting = dice.pick(meetings)
        let deleted: Bool
        do {
            try await peopleClient.delete(Appointment.self, id: meeting.id)
            deleted = true
        } catch {
            // Gone already (someone else deleted it) is as good as cancelled by us: nothing to count.
            guard case .notFound = error else { throw error }
            deleted = false
        }
        guard deleted else { return }
        figures.cancellations += 1
        trace(
            "\(resourceID): meeting \(meeting.title) at \(AutotaskDateText.instant(Self.date(meeting.span.start))) cancelled"
        )
        mirrorIsStale = true
    }

    static let ticketTitles = [
        "Outlook keeps asking for password", "Printer offline in reception", "VPN drops every 10 minutes",
        "Disk space low on FS01", "Backup job failed overnight", "MFA reset after a new phone",
        "Shared mailbox access for a new starter", "Wi-Fi keeps dropping in the meeting room",
        "Laptop stuck on BitLocker recovery", "Teams calls drop audio", "OneDrive not syncing",
        "Server not responding to ping", "Phishing email reported", "Mapped drives missing after login",
    ]

    static let customerNames = [
        "Riverside Family Dental", "Whitaker & Lowe LLP", "Harborline Logistics", "Kingsgate Architects",
        "Northgate Freight Ltd", "Sahyadri Textiles", "Deccan Diagnostics", "Oakwood Medical Practice",
    ]
}
