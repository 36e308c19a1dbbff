import Foundation
import LiftoffCore
import PropertyBased
import Testing

/// The calendar plan against a brute-force reading of docs/scheduling.md: every block is tried at
/// every whole minute from its earliest allowed moment, in Workboard order, and must land at the
/// first minute that every rule allows. This catches a block placed later than it should be — which
/// the invariant properties cannot — and guards the planner's shortcuts (jumps past obstacles, the
/// memo of unavailable stretches).
@Suite struct PlannerReferenceTests {
    typealias P = PlannerPropertyTests
    static let minute: Int64 = 60_000

    struct Block: Equatable, CustomStringConvertible {
        let id: String
        let start: Int64
        let end: Int64
        var description: String {
            "\(id) \(Instant(millisecondsSinceEpoch: start))–\(Instant(millisecondsSinceEpoch: end))"
        }
    }

    /// The reference calendar plan: blocks sorted by start, and the unscheduled activity ids.
    static func reference(_ scenario: P.Scenario) -> (blocks: [Block], unscheduled: [String]) {
        let technician = scenario.technician
        let zone = technician.timeZone
        let settings = scenario.settings
        let now = scenario.problem.now.millisecondsSinceEpoch
        let horizonEnd = now + Int64(settings.horizonDays) * 1440 * minute
        let blocking = P.blocking(scenario).map { ($0.0.millisecondsSinceEpoch, $0.1.millisecondsSinceEpoch) }

        // Shifts as instants, by Foundation's reading of the zone.
        var shifts: [(Int64, Int64)] = []
        var day = P.local(scenario.problem.now, zone, isEnd: false).date.adding(days: -2)
        let lastDay = P.local(Instant(millisecondsSinceEpoch: horizonEnd), zone, isEnd: false).date.adding(days: 1)
        while day <= lastDay {
            for shift in technician.workSchedule.shifts(on: day) {
                var start = P.instant(day, shift.start.minutesSinceMidnight, zone).millisecondsSinceEpoch
                let end = P.instant(day, shift.end.minutesSinceMidnight, zone).millisecondsSinceEpoch
                if let last = shifts.last, last.1 > start { start = last.1 }
                if end > start { shifts.append((start, end)) }
            }
            day = day.adding(days: 1)
        }

        func aligned(_ instant: Int64, _ step: Int) -> Bool {
            let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant) / 1000))) * 1000
            let local = instant + offset
            let minuteOfDay = ((local % (1440 * minute)) + 1440 * minute) % (1440 * minute)
            return minuteOfDay % minute == 0 && (minuteOfDay / minute) % Int64(step) == 0
        }
        func longestFree(_ from: Int64, _ to: Int64) -> Int64 {
            var cursor = from
            var longest: Int64 = 0
            for (start, end) in blocking.sorted(by: { $0.0 < $1.0 }) where end > cursor && start < to {
                longest = max(longest, start - cursor)
                cursor = max(cursor, end)
            }
            return max(longest, to - cursor)
        }
        func hasSlot(_ from: Int64, _ to: Int64) -> Bool {
            guard let profile = settings.bookingProfile else { return true }
            let before = Int64(profile.bufferBeforeMinutes) * minute
            let after = Int64(profile.meetingMinutes + profile.bufferAfterMinutes) * minute
            var start = (from + before + minute - 1) / minute * minute
            while start + after <= to {
                if aligned(start, profile.startIncrementMinutes)
                    && !blocking.contains(where: { $0.0 < start + after && start - before < $0.1 })
                {
                    return true
                }
                start += minute
            }
            return false
        }
        func gapHolds(_ from: Int64, _ to: Int64) -> Bool {
            longestFree(from, to) >= Int64(settings.minMinutesFreeBetweenActivities) * minute && hasSlot(from, to)
        }

        let ordered = technician.nextActivities.sorted(by: WorkboardOrder.precedes)
        var placed: [Block] = []
        for activity in ordered {
            guard let startedAt = activity.startedAt?.millisecondsSinceEpoch else { continue }
            placed.append(
                Block(
                    id: activity.id, start: startedAt,
                    end: max(now, startedAt + Int64(activity.durationMinutes) * minute)))
        }
        var unscheduled: [String] = []
        for activity in ordered where activity.startedAt == nil {
            let parts = (activity.durationMinutes + settings.maxBlockMinutes - 1) / settings.maxBlockMinutes
            var notBefore = max(now, activity.sleepUntil?.millisecondsSinceEpoch ?? now)
            var kept: [Block] = []
            for part in 1...parts {
                let length =
                    Int64(
                        part < parts
                            ? settings.maxBlockMinutes
                            : activity.durationMinutes - settings.maxBlockMinutes * (parts - 1))
                    * minute
                var found: Int64?
                var candidate = (notBefore + minute - 1) / minute * minute
                search: while candidate + length <= horizonEnd {
                    defer { candidate += minute }
                    let end = candidate + length
                    guard aligned(candidate, settings.alignmentMinutes),
                        let shift = shifts.first(where: { $0.0 <= candidate && end <= $0.1 }),
                        !blocking.contains(where: { $0.0 < end && candidate < $0.1 }),
                        !(placed + kept).contains(where: { $0.start < end && candidate < $0.end })
                    else { continue }
                    let others = placed + kept
                    if let previous = others.filter({ $0.end <= candidate && $0.end > shift.0 }).map(\.end).max(),
                        !gapHolds(previous, candidate)
                    {
                        continue search
                    }
                    if let next = others.filter({ $0.start >= end && $0.start < shift.1 }).map(\.start).min(),
                        !gapHolds(end, next)
                    {
                        continue search
                    }
                    found = candidate
                    break
                }
                guard let start = found else {
                    kept = []
                    unscheduled.append(activity.id)
                    break
                }
                kept.append(Block(id: activity.id, start: start, end: start + length))
                notBefore = start + length
            }
            placed += kept
        }
        return (placed.sorted { ($0.start, $0.id) < ($1.start, $1.id) }, unscheduled)
    }

    @Test func blocksLandAtTheFirstMinuteEveryRuleAllows() async {
        let count = max(60, P.propertyCount / 3)
        await propertyCheck(count: count, input: P.input.0, P.input.1, P.input.2, P.input.3) {
            seed, minFree, alignment, profile in
            var scenario = P.scenario(
                seed: UInt64(seed), minFree: minFree, alignmentIndex: alignment, withProfile: profile)
            // Keep the brute force affordable: at most three days ahead.
            var settings = scenario.settings
            settings.horizonDays = min(settings.horizonDays, 3)
            var problem = scenario.problem
            problem.settings = settings
            scenario = P.Scenario(problem: problem, settings: settings)
            let plan = Planner.plan(scenario.problem).technicians[0]
            let expected = Self.reference(scenario)
            let actual = plan.calendar.map {
                Block(id: $0.activityId, start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch)
            }
            #expect(actual == expected.blocks)
            #expect(plan.unscheduled.map(\.activityId) == expected.unscheduled)
        }
    }
}
