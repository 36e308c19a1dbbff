import Foundation
import LiftoffCore

/// Small builders that keep planner tests about the rule they check, not the set-up.
enum Fixture {
    static func instant(_ text: String) -> Instant {
        guard let instant = RFC3339.parse(text) else { preconditionFailure("bad instant in a test: \(text)") }
        return instant
    }

    static func zone(_ identifier: String) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else { preconditionFailure("unknown zone \(identifier)") }
        return zone
    }

    static func shift(_ start: String, _ end: String) -> Shift {
        Shift(start: WallClockTime(start)!, end: WallClockTime(end)!)!
    }

    /// The same shifts on every day of the week.
    static func everyDay(_ shifts: [Shift]) -> WorkSchedule {
        WorkSchedule(weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, shifts) }))
    }

    /// Monday to Friday.
    static func weekdays(_ shifts: [Shift], exceptions: [LocalDate: [Shift]] = [:]) -> WorkSchedule {
        WorkSchedule(
            weekly: [.mon: shifts, .tue: shifts, .wed: shifts, .thu: shifts, .fri: shifts], exceptions: exceptions)
    }

    static func activity(
        _ id: String, priority: Int = 3, minutes: Int, created: String = "2026-01-01T00:00:00Z",
        sleepUntil: String? = nil, startedAt: String? = nil, due: String? = nil
    ) -> NextActivity {
        NextActivity(
            id: id, priority: priority, durationMinutes: minutes, ticketCreated: instant(created),
            sleepUntil: sleepUntil.map(instant), startedAt: startedAt.map(instant), dueDateTime: due.map(instant))
    }

    static func busy(
        _ kind: BusyItem.Kind, _ start: String, _ end: String, showAs: BusyItem.ShowAs? = nil,
        status: BusyItem.Status? = nil
    ) -> BusyItem {
        BusyItem(kind: kind, start: instant(start), end: instant(end), showAs: showAs, status: status)
    }

    static func technician(
        zone: String = "UTC", schedule: WorkSchedule = everyDay([shift("09:00", "17:00")]), busy: [BusyItem] = [],
        activities: [NextActivity]
    ) -> Technician {
        Technician(
            id: "T1", timeZone: Fixture.zone(zone), workSchedule: schedule, busy: busy, nextActivities: activities)
    }

    static func plan(_ technician: Technician, now: String, settings: Settings = Settings()) -> TechnicianPlan {
        Planner.plan(PlanningProblem(now: instant(now), settings: settings, technicians: [technician])).technicians[0]
    }

    static func settings(
        alignment: Int = 5, minFree: Int = 0, maxBlock: Int = 240, horizonDays: Int = 14, blockOnFree: Bool = true,
        profile: BookingProfile? = nil
    ) -> Settings {
        var settings = Settings()
        settings.alignmentMinutes = alignment
        settings.minMinutesFreeBetweenActivities = minFree
        settings.maxBlockMinutes = maxBlock
        settings.horizonDays = horizonDays
        settings.blockOnFreeExternalAppointments = blockOnFree
        settings.bookingProfile = profile
        return settings
    }
}

extension TechnicianPlan {
    /// Blocks as `"NA-1 09:00Z–11:00Z"`-style strings with full instants, easy to compare in `#expect`.
    var blockSummary: [String] {
        calendar.map { "\($0.activityId) \($0.start)–\($0.end)" + ($0.parts > 1 ? " \($0.part)/\($0.parts)" : "") }
    }

    var order: [String] { workboard.map(\.activityId) }

    func entry(_ id: String) -> WorkboardEntry? { workboard.first { $0.activityId == id } }
}

extension Instant {
    /// The wall-clock date and time at this instant in `zone`, read by Foundation — an independent
    /// reading of the zone rules the planner uses.
    func local(in zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
    }

    var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }

    init(_ date: Date) {
        self.init(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// The instant of a local wall-clock time that exists exactly once, read by Foundation.
    static func wallClock(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, in zone: TimeZone)
        -> Instant
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
        return Instant(date)
    }
}
