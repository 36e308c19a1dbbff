/// The work plan: what the technician will really do, and so each activity's estimated start and
/// finish on the Workboard.
///
/// Work flows through work time from `now` without gaps or alignment; at every moment the
/// technician works the first unfinished activity in Workboard order that is awake. A meeting pauses
/// the work and it resumes afterwards; an activity that wakes up takes over if it stands higher.
/// Started activities come first with only their remaining minutes.
struct WorkPlan {
    /// Estimated first and last moment of work of each activity, in the order given; `nil` when it does
    /// not finish within the horizon.
    let estimates: [(start: Int64, finish: Int64)?]

    /// Plans `ordered` (already in Workboard order) through `calendar`'s work time.
    init(ordered: [NextActivity], calendar: TechnicianCalendar) {
        let now = calendar.now
        var remaining: [Int64] = []
        var wake: [Int64] = []
        var firstWork: [Int64?] = []
        var finish: [Int64?] = []
        for activity in ordered {
            let duration = Int64(activity.durationMinutes) * Milliseconds.perMinute
            if let startedAt = activity.startedAt?.millisecondsSinceEpoch {
                // A start later than `now` (clock skew) leaves the whole duration to do.
                remaining.append(min(duration, max(0, startedAt + duration - now)))
                wake.append(now)
                firstWork.append(startedAt)
            } else {
                remaining.append(duration)
                wake.append(max(now, activity.sleepUntil?.millisecondsSinceEpoch ?? now))
                firstWork.append(nil)
            }
            finish.append(remaining.last! == 0 ? now : nil)
        }

        let segments = calendar.workTime(within: Span(start: now, end: calendar.horizonEnd))
        var segmentIndex = 0
        var time = now
        var unfinished = finish.filter { $0 == nil }.count
        // Activities before this index are all finished; the scan for the next one starts here, so
        // a long list is planned in linear rather than quadratic time when nobody sleeps.
        var firstUnfinished = 0
        while unfinished > 0 && segmentIndex < segments.count {
            let segment = segments[segmentIndex]
            if time >= segment.end {
                segmentIndex += 1
                continue
            }
            time = max(time, segment.start)
            // The highest unfinished activity that is awake; higher sleeping ones bound how long it runs.
            var chosen: Int?
            var nextWake = Int64.max
            while firstUnfinished < ordered.count && finish[firstUnfinished] != nil { firstUnfinished += 1 }
            for index in firstUnfinished..<ordered.count where finish[index] == nil {
                if wake[index] <= time {
                    chosen = index
                    break
                }
                nextWake = min(nextWake, wake[index])
            }
            guard let chosen else {
                // Everyone left is asleep: skip to the first wake-up.
                time = nextWake
                continue
            }
            let end = min(segment.end, nextWake, time + remaining[chosen])
            if firstWork[chosen] == nil { firstWork[chosen] = time }
            remaining[chosen] -= end - time
            time = end
            if remaining[chosen] == 0 {
                finish[chosen] = time
                unfinished -= 1
            }
        }
        estimates = ordered.indices.map { index in
            guard let finish = finish[index], let start = firstWork[index] else { return nil }
            return (start, finish)
        }
    }
}
