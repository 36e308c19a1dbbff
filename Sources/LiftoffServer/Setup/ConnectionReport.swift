import Fluent
import Foundation
import LiftoffCore
import Vapor

/// *What Liftoff understood* from Autotask, for the admin to check before switching writing on:
/// per technician the zone and where it came from, the hours and holidays, what was seen on their
/// calendar, and the Next Activities made — and, from the calendar counts, whether Autotask's
/// Exchange integration looks switched on.
struct ConnectionReport: Content {
    struct Count: Content, Equatable {
        /// In the 14 days before now.
        var last14Days: Int
        /// In the 14 days from now.
        var next14Days: Int
        var total: Int { last14Days + next14Days }
    }

    struct Technician: Content {
        var id: Int
        var name: String
        /// The IANA zone Liftoff plans in (meaningless while the technician needs attention for it).
        var timeZone: String?
        /// `autotask`, `set by hand` or `unknown`.
        var timeZoneFrom: String
        /// How the zone was read from Autotask, or why it could not be.
        var zoneSource: String?
        var importedTimeZone: String?
        var zoneOverride: String?
        /// `autotask`, `set by hand` or `unknown`.
        var hoursFrom: String
        /// One line per day, Monday first: "Mon 08:00-17:00".
        var weeklyHours: [String]
        /// Holidays and other days without hours in the next 60 days (yyyy-mm-dd).
        var holidaysAhead: [String]
        /// Autotask Appointments: Exchange and Outlook bookings (Calendly, FindTime) and meetings.
        var appointments: Count
        /// Service calls Liftoff did not write: TimeZest bookings and dispatchers' calls.
        var importedServiceCalls: Count
        var openNextActivities: Int
        /// Why no service calls are written for this technician, when that is so.
        var needsAttention: String?
    }

    var generatedAt: Date
    var writing: String
    var lastImport: Date?
    var technicians: [Technician]
    /// What the calendar counts say about the Exchange integration, in words, when they say anything.
    var exchangeIntegration: String?

    static func make(on database: Database, now: Date) async throws -> ConnectionReport {
        let technicians = try await TechnicianRecord.query(on: database).filter(\.$isActive == true).sort(\.$name)
            .all()
        let from = now.addingTimeInterval(-14 * 86_400)
        let to = now.addingTimeInterval(14 * 86_400)
        let busy = try await BusyItemRecord.query(on: database).filter(\.$end > from).filter(\.$start < to).all()
        let activities = try await NextActivityRecord.query(on: database).group(.or) {
            $0.filter(\.$state == "open").filter(\.$state == "pending")
        }.all()
        let busyByTechnician = Dictionary(grouping: busy, by: \.resourceID)
        let activitiesByTechnician = Dictionary(grouping: activities, by: \.resourceID)
        func count(_ items: [BusyItemRecord], prefix: String) -> Count {
            let matching = items.filter { $0.source.hasPrefix(prefix) }
            return Count(
                last14Days: matching.filter { $0.start < now }.count,
                next14Days: matching.filter { $0.start >= now }.count)
        }
        let rows = technicians.map { record -> Technician in
            let items = busyByTechnician[record.resourceID] ?? []
            let hours = record.hoursOverride.flatMap(Self.weekly) ?? record.importedWorkSchedule.flatMap(Self.weekly)
            return Technician(
                id: record.resourceID, name: record.name,
                timeZone: record.zoneOverride ?? record.importedTimeZone,
                timeZoneFrom: record.zoneOverride != nil
                    ? "set by hand" : record.importedTimeZone != nil ? "autotask" : "unknown",
                zoneSource: record.zoneSource, importedTimeZone: record.importedTimeZone,
                zoneOverride: record.zoneOverride,
                hoursFrom: record.hoursOverride != nil
                    ? "set by hand" : record.importedWorkSchedule != nil ? "autotask" : "unknown",
                weeklyHours: WeeklyHours.days.map { day in
                    let line = hours?.line(day) ?? ""
                    return "\(day.prefix(1).uppercased() + day.dropFirst()) \(line.isEmpty ? "off" : line)"
                },
                holidaysAhead: Self.holidays(record.importedWorkSchedule, from: now, days: 60),
                appointments: count(items, prefix: "appointment:"),
                importedServiceCalls: count(items, prefix: "servicecall:"),
                openNextActivities: activitiesByTechnician[record.resourceID]?.count ?? 0,
                needsAttention: record.attention)
        }
        let lastImport = try await SyncStateRecord.query(on: database).filter(\.$name == "import").first()?.lastFullAt
        return ConnectionReport(
            generatedAt: now, writing: try await WritingSwitch.mode(on: database).rawValue, lastImport: lastImport,
            technicians: rows, exchangeIntegration: lastImport == nil ? nil : Self.exchangeVerdict(rows))
    }

    /// Rocketship-style detection of the Exchange integration: Outlook meetings reach Autotask as
    /// Appointments only through it, so a team with none at all almost surely has it off.
    static func exchangeVerdict(_ rows: [Technician]) -> String? {
        guard !rows.isEmpty else { return nil }
        let without = rows.filter { $0.appointments.total == 0 }
        if without.count == rows.count {
            return
                "No technician has any Autotask appointment in the last or next 14 days, so Autotask's Exchange integration is probably off: Outlook meetings and Calendly or FindTime bookings do not reach Autotask, and Liftoff cannot plan around them. In Autotask, switch it on under Admin > Extensions & Integrations > Microsoft Extensions > MS Exchange (for Microsoft 365 with an Entra ID app registration), and enable every technician's mailbox."
        }
        if without.isEmpty { return nil }
        let names = without.map(\.name).joined(separator: ", ")
        return
            "\(without.count) of \(rows.count) technicians have no Autotask appointment in the last or next 14 days: \(names). Their mailboxes are probably not enabled in Autotask's MS Exchange integration (Admin > Extensions & Integrations > Microsoft Extensions > MS Exchange), so their Outlook meetings are not planned around."
    }

    private static func weekly(_ text: String) -> WeeklyHours? {
        guard case .object(let object)? = try? JSONParser.parse(Array(text.utf8)) else { return nil }
        if let weekly = object["weekly"] { return try? WeeklyHours(json: weekly, field: "weekly") }
        return try? WeeklyHours(json: .object(object), field: "weekly")
    }

    private static func holidays(_ schedule: String?, from now: Date, days: Int) -> [String] {
        guard let schedule, case .object(let object)? = try? JSONParser.parse(Array(schedule.utf8)),
            case .array(let exceptions)? = object["exceptions"]
        else { return [] }
        let first = String(AutotaskDateText.day(now))
        let last = String(AutotaskDateText.day(now.addingTimeInterval(Double(days) * 86_400)))
        return exceptions.compactMap { exception -> String? in
            guard case .object(let entry) = exception, case .string(let date)? = entry["date"] else { return nil }
            return date >= first && date <= last ? date : nil
        }.sorted()
    }
}
