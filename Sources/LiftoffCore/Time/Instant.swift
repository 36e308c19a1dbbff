/// A point on the UTC time line, counted in whole milliseconds since 1970-01-01T00:00:00Z.
///
/// Liftoff stores and exchanges instants, never local times: a technician's working hours are
/// wall-clock rules that become instants only when a plan is made (see ``ZoneTimeline``).
/// Milliseconds keep the precision Autotask sends (`2026-03-06T14:00:00.123Z`) while staying an
/// integer, so planning arithmetic is exact and deterministic.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch; negative before 1970.
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// The instant `minutes` later (earlier when negative).
    public func adding(minutes: Int) -> Instant {
        Instant(millisecondsSinceEpoch: millisecondsSinceEpoch + Int64(minutes) * Milliseconds.perMinute)
    }

    /// The RFC 3339 form in UTC, as `liftoff plan` writes it.
    public var description: String { RFC3339.format(self) }
}

/// Durations and offsets inside the planner are plain milliseconds; these constants name the units.
enum Milliseconds {
    static let perSecond: Int64 = 1_000
    static let perMinute: Int64 = 60_000
    static let perHour: Int64 = 3_600_000
    static let perDay: Int64 = 86_400_000
}

extension Int64 {
    /// Floor division, so that times before 1970 fall on the right day and minute.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
