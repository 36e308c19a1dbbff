import Foundation
import LiftoffCore

/// The one place Liftoff, its sandbox and its commands learn the current time.
///
/// Everything that reads the time — the reflow job, the importer, the Next Activity rule, the
/// outbox, the reflow lease, plan snapshots, the pages and the sandbox's demo data — takes it from
/// one clock handed down from the edge, never from `Date()`. Tests pin it, so they pass on any day
/// at any hour; `--now` (or `LIFTOFF_NOW`) starts a process at a chosen instant to simulate a day or
/// reproduce a customer's problem; the day simulator moves it by hand.
///
/// ```swift
/// let clock = LiftoffClock.starting(at: start)  // `--now 2026-03-09T14:00:00Z`
/// let job = CalendarReflowJob(client: client, database: db, logger: logger, clock: clock)
/// ```
public struct LiftoffClock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock that answers `read()`; prefer ``system``, ``starting(at:)`` or a
    /// ``ManualClock``.
    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The current time by this clock.
    public func now() -> Date { read() }

    /// The machine's clock: production.
    public static let system = LiftoffClock { Date() }

    /// Starts at `start` and runs at the machine's pace from the moment it is made: `--now` for a
    /// process that must behave as if it were then, with timers and leases still ticking.
    public static func starting(at start: Date) -> LiftoffClock {
        let offset = start.timeIntervalSince(Date())
        return LiftoffClock { Date().addingTimeInterval(offset) }
    }

    /// Reads `--now` or `LIFTOFF_NOW`: an RFC 3339 instant with a zone (`2026-03-09T14:00:00Z`,
    /// `2026-03-09T09:00:00-05:00`), by the same strict reader as every instant Liftoff reads, so
    /// `2026-02-31` is refused rather than rolled over into March.
    public static func instant(_ text: String) throws(StartInstantError) -> Date {
        guard let instant = RFC3339.parse(text) else { throw StartInstantError(text: text) }
        return Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
    }
}

/// A start instant (`--now`, `LIFTOFF_NOW`) that is not an RFC 3339 instant with a zone.
public struct StartInstantError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public var description: String {
        "the start instant must be an RFC 3339 instant with a zone, such as 2026-03-09T14:00:00Z, got \"\(text.prefix(60))\""
    }
}
