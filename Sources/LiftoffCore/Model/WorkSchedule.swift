/// A technician's working hours: shifts per weekday in local wall-clock time, plus dated exceptions.
///
/// Kept as wall-clock rules (never as UTC instants) so that 08:00–17:00 stays 08:00–17:00 across
/// daylight-saving changes; see ``WorkSchedule/shiftIntervals(from:to:in:)``.
public struct WorkSchedule: Hashable, Sendable {
    /// Shifts of each weekday, indexed in ``Weekday/allCases`` order, sorted by start and disjoint.
    public let weekly: [[Shift]]
    /// Shifts that replace a date's weekly shifts; an empty list is a day off (a holiday).
    public let exceptions: [LocalDate: [Shift]]

    public init(weekly: [Weekday: [Shift]], exceptions: [LocalDate: [Shift]] = [:]) {
        self.weekly = Weekday.allCases.map { (weekly[$0] ?? []).sorted { $0.start < $1.start } }
        self.exceptions = exceptions.mapValues { $0.sorted { $0.start < $1.start } }
    }

    /// The shifts that apply on `date`.
    public func shifts(on date: LocalDate) -> [Shift] {
        exceptions[date] ?? weekly[Weekday.allCases.firstIndex(of: date.weekday)!]
    }
}
