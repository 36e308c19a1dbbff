import Foundation

/// Plans technicians' work: the Workboard order, the work plan and the calendar plan of
/// `docs/scheduling.md`.
///
/// ```swift
/// let answer = Planner.plan(problem)
/// for block in answer.technicians[0].calendar { print(block.activityId, block.start, block.end) }
/// ```
///
/// Pure and deterministic: the answer depends on the problem alone, so the same problem always gives
/// the same plan in any process time zone, on every machine with the same IANA time-zone rules.
public enum Planner {
    /// The plan for every technician of `problem`, in the problem's order.
    public static func plan(_ problem: PlanningProblem) -> PlanAnswer {
        let timelines = ZoneTimelines(problem: problem)
        var plans = [TechnicianPlan?](repeating: nil, count: problem.technicians.count)
        plans.withUnsafeMutableBufferPointer { buffer in
            let output = UnsafeSendableBuffer(buffer: buffer)
            // Technicians are independent; plan them on every core.
            let chunks = min(problem.technicians.count, ProcessInfo.processInfo.activeProcessorCount * 4)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var index = chunk
                while index < problem.technicians.count {
                    let technician = problem.technicians[index]
                    output.buffer[index] = plan(
                        technician, now: problem.now, settings: problem.settings.applying(technician.settings),
                        timeline: timelines[technician.timeZone])
                    index += chunks
                }
            }
        }
        return PlanAnswer(technicians: plans.map { $0! })
    }

    /// The plan for one technician with their effective `settings`.
    public static func plan(_ technician: Technician, now: Instant, settings: Settings) -> TechnicianPlan {
        let timeline = ZoneTimeline(
            timeZone: technician.timeZone, from: now, to: now.adding(minutes: settings.clamped.horizonDays * 1440))
        return plan(technician, now: now, settings: settings, timeline: timeline)
    }

    static func plan(_ technician: Technician, now: Instant, settings: Settings, timeline: ZoneTimeline)
        -> TechnicianPlan
    {
        let calendar = TechnicianCalendar(
            technician: technician, now: now, settings: settings.clamped, timeline: timeline)
        let ordered = WorkboardOrder.sorted(technician.nextActivities).map { activity in
            var activity = activity
            activity.durationMinutes = min(max(1, activity.durationMinutes), 1_000_000)
            return activity
        }
        let workPlan = WorkPlan(ordered: ordered, calendar: calendar)
        let calendarPlan = CalendarPlan(ordered: ordered, calendar: calendar, current: technician.current)
        let workboard = ordered.enumerated().map { position, activity in
            let estimate = workPlan.estimates[position]
            let finish = estimate.map { Instant(millisecondsSinceEpoch: $0.finish) }
            let atRisk = activity.dueDateTime.map { due in finish.map { $0 > due } ?? true } ?? false
            return WorkboardEntry(
                activityId: activity.id, position: position + 1,
                estimatedStart: estimate.map { Instant(millisecondsSinceEpoch: $0.start) },
                estimatedFinish: finish, dueDateTime: activity.dueDateTime, atRisk: atRisk)
        }
        return TechnicianPlan(
            id: technician.id, workboard: workboard, calendar: calendarPlan.blocks,
            unscheduled: calendarPlan.unscheduled)
    }
}

/// One ``ZoneTimeline`` per time zone of a problem, read once and shared by its technicians.
private struct ZoneTimelines {
    private var byIdentifier: [String: ZoneTimeline] = [:]

    init(problem: PlanningProblem) {
        let longestHorizon =
            problem.technicians.map { problem.settings.applying($0.settings).clamped.horizonDays }.max() ?? 0
        let end = problem.now.adding(minutes: longestHorizon * 1440)
        for technician in problem.technicians where byIdentifier[technician.timeZone.identifier] == nil {
            byIdentifier[technician.timeZone.identifier] = ZoneTimeline(
                timeZone: technician.timeZone, from: problem.now, to: end)
        }
    }

    subscript(timeZone: TimeZone) -> ZoneTimeline {
        byIdentifier[timeZone.identifier]!
    }
}

/// Lets each concurrent iteration write its own, distinct slots of one buffer.
private struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}
