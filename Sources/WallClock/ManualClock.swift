import Foundation
import Synchronization

/// A clock that moves only when told: tests that let time pass, and the day simulator, which
/// walks a week of working days in minutes.
///
/// ```swift
/// let manual = ManualClock(at: start)
/// let job = CalendarReflowJob(client: client, database: db, logger: logger, clock: manual.clock)
/// manual.advance(by: 3600)
/// ```
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(at start: Date) {
        current = Mutex(start)
    }

    /// The time now.
    public var now: Date { current.withLock { $0 } }

    /// A ``LiftoffClock`` that reads this one, to hand to the components under test.
    public var clock: LiftoffClock { LiftoffClock { [self] in now } }

    /// Moves time forward by `seconds` (a negative value would move it back, which nothing in
    /// Liftoff expects: don't).
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the time to `instant`.
    public func set(_ instant: Date) {
        current.withLock { $0 = instant }
    }
}
