/// One stretch of working hours on a local date, such as 08:00–12:00.
///
/// A shift ends after it starts on the same day (`24:00` may end it); work past midnight is two
/// shifts, one on each date.
public struct Shift: Hashable, Sendable {
    public let start: WallClockTime
    public let end: WallClockTime

    /// `nil` unless `end` is after `start`.
    public init?(start: WallClockTime, end: WallClockTime) {
        guard start < end else { return nil }
        self.start = start
        self.end = end
    }
}
