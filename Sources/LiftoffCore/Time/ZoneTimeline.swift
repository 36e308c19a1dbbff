import Foundation

/// A time zone's UTC offsets over a window of time, as a list of constant-offset segments.
///
/// The planner asks two questions millions of times per run — "what is the local time at this
/// instant?" and "which instant is this local time?" — so it reads the zone's rules once per window
/// and answers from this table. The rules for wall-clock times that do not exist or occur twice are
/// those of `docs/scheduling.md`: a skipped time (spring forward) becomes the instant of the change,
/// a repeated one (fall back) its first occurrence.
public struct ZoneTimeline: Sendable {
    /// Segment `i` covers `[starts[i], starts[i + 1])` in UTC milliseconds; the last is open-ended
    /// and the first reaches back indefinitely.
    private let starts: [Int64]
    /// Offset of each segment from UTC, in milliseconds (east positive).
    private let offsets: [Int64]

    /// Reads `timeZone`'s offsets for `[from, to]`; outside the window the nearest segment's offset holds.
    public init(timeZone: TimeZone, from: Instant, to: Instant) {
        let lower = from.millisecondsSinceEpoch - 2 * Milliseconds.perDay
        let upper = to.millisecondsSinceEpoch + 2 * Milliseconds.perDay
        func offset(at milliseconds: Int64) -> Int64 {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            return Int64(timeZone.secondsFromGMT(for: date)) * Milliseconds.perSecond
        }
        var starts: [Int64] = [lower]
        var offsets: [Int64] = [offset(at: lower)]
        // Sample every six hours and find each change by bisection: this catches daylight-saving
        // changes and changes of standard offset alike, which `nextDaylightSavingTimeTransition`
        // alone would not. No zone changes its offset twice within six hours. Bisection runs down to
        // the millisecond, so a change found is exact and a shift starting at it starts on the minute.
        let step = 6 * Milliseconds.perHour
        var previous = lower
        while previous < upper {
            let next = min(previous + step, upper)
            let nextOffset = offset(at: next)
            if nextOffset != offsets[offsets.count - 1] {
                var low = previous
                var high = next
                while high - low > 1 {
                    let middle = low + (high - low) / 2
                    if offset(at: middle) == nextOffset { high = middle } else { low = middle }
                }
                starts.append(high)
                offsets.append(nextOffset)
            }
            previous = next
        }
        self.starts = starts
        self.offsets = offsets
    }

    private func segment(containing milliseconds: Int64) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= milliseconds { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The offset from UTC in force at `milliseconds`, in milliseconds.
    func offset(at milliseconds: Int64) -> Int64 {
        offsets[segment(containing: milliseconds)]
    }

    /// Local wall-clock milliseconds since 1970-01-01T00:00 local at the UTC instant `milliseconds`.
    func local(at milliseconds: Int64) -> Int64 {
        milliseconds + offset(at: milliseconds)
    }

    /// The instant of a local wall-clock time, given as local milliseconds since 1970-01-01T00:00.
    func instant(ofLocal local: Int64) -> Int64 {
        // Every segment whose offset maps into itself is a reading of `local`; the earliest wins.
        let guess = segment(containing: local - offsets[segment(containing: local)])
        let first = max(0, guess - 2)
        let last = min(starts.count - 1, guess + 2)
        for index in first...last {
            let candidate = local - offsets[index]
            let segmentEnd = index + 1 < starts.count ? starts[index + 1] : Int64.max
            if (index == 0 || candidate >= starts[index]) && candidate < segmentEnd {
                return candidate
            }
        }
        // No reading: the local time was skipped. It becomes the instant of the change that skipped it.
        for index in max(1, first)...last
        where local >= starts[index] + offsets[index - 1]
            && local < starts[index] + offsets[index]
        {
            return starts[index]
        }
        return local - offsets[guess]
    }

    /// The earliest instant at or after `milliseconds` that falls on a whole local minute whose
    /// minute of the day is a multiple of `stepMinutes` (a step that does not divide the day restarts
    /// at each local midnight, as a scheduler's start-time grid does).
    func alignUp(_ milliseconds: Int64, stepMinutes: Int) -> Int64 {
        let step = Int64(stepMinutes) * Milliseconds.perMinute
        var from = milliseconds
        var index = segment(containing: from)
        while true {
            let offset = offsets[index]
            let local = from + offset
            let dayStart = local.floorDivided(by: Milliseconds.perDay) * Milliseconds.perDay
            let intoDay = local - dayStart
            var aligned = dayStart + (intoDay + step - 1).floorDivided(by: step) * step
            if aligned > dayStart + Milliseconds.perDay { aligned = dayStart + Milliseconds.perDay }
            let candidate = aligned - offset
            let segmentEnd = index + 1 < starts.count ? starts[index + 1] : Int64.max
            if candidate < segmentEnd { return candidate }
            index += 1
            from = starts[index]
        }
    }
}
