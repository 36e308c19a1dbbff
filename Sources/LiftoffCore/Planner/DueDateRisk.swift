/// Where a Next Activity stands against its due date in the work plan, told apart the way a
/// dispatcher needs it: finishing late by a known amount is a different fire from work that does not
/// finish within the planning horizon at all.
///
/// ``WorkboardEntry/atRisk`` is true exactly for ``late`` and ``notWithinHorizon``; this says which,
/// and by how much, for the Workboard, the calendar explanation and the API.
public enum DueDateRisk: Hashable, Sendable {
    /// The work plan finishes it at or before its due date.
    case onTime(due: Instant, finish: Instant)
    /// The work plan finishes it after its due date.
    case late(due: Instant, finish: Instant)
    /// The work plan does not finish it within the horizon, so when it finishes is unknown.
    case notWithinHorizon(due: Instant)

    /// Nil when the activity has no due date.
    public init?(_ entry: WorkboardEntry) {
        guard let due = entry.dueDateTime else { return nil }
        guard let finish = entry.estimatedFinish else {
            self = .notWithinHorizon(due: due)
            return
        }
        self = finish > due ? .late(due: due, finish: finish) : .onTime(due: due, finish: finish)
    }

    public var isAtRisk: Bool {
        if case .onTime = self { return false }
        return true
    }

    /// `on-time`, `late` or `not-within-horizon`: for pages and the API.
    public var kind: String {
        switch self {
        case .onTime: "on-time"
        case .late: "late"
        case .notWithinHorizon: "not-within-horizon"
        }
    }

    /// Minutes past the due date the work plan finishes; nil unless ``late``.
    public var minutesLate: Int64? {
        guard case .late(let due, let finish) = self else { return nil }
        return (finish.millisecondsSinceEpoch - due.millisecondsSinceEpoch + 59_999) / 60_000
    }

    /// "due Tue 8 Sep 17:00; the work finishes Wed 9 Sep 10:15, 17 h 15 min late", with `time` saying
    /// an instant in the technician's zone.
    public func sentence(time: (Instant) -> String) -> String {
        switch self {
        case .onTime(let due, _):
            return "due \(time(due))"
        case .late(let due, let finish):
            return "due \(time(due)); the work finishes \(time(finish)), \(Self.span(minutesLate ?? 0)) late"
        case .notWithinHorizon(let due):
            return "due \(time(due)); the work does not finish within the planning horizon"
        }
    }

    /// "45 min", "3 h", "17 h 15 min", "2 d 4 h".
    public static func span(_ minutes: Int64) -> String {
        let (days, hours, rest) = (minutes / 1440, minutes % 1440 / 60, minutes % 60)
        if days > 0 { return hours > 0 ? "\(days) d \(hours) h" : "\(days) d" }
        if hours > 0 { return rest > 0 ? "\(hours) h \(rest) min" : "\(hours) h" }
        return "\(rest) min"
    }
}
