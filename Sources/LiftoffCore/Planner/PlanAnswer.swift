/// The planner's answer for every technician of a ``PlanningProblem``, in the problem's order.
public struct PlanAnswer: Hashable, Sendable {
    public var technicians: [TechnicianPlan]

    public init(technicians: [TechnicianPlan]) {
        self.technicians = technicians
    }
}

/// One technician's Workboard, calendar plan and the activities that found no place.
public struct TechnicianPlan: Hashable, Sendable {
    public var id: String
    /// Every Next Activity in Workboard order, with the work plan's estimates.
    public var workboard: [WorkboardEntry]
    /// The calendar plan, one entry per block (a future service call), sorted by start.
    public var calendar: [CalendarBlock]
    /// Activities none of whose blocks were kept, in Workboard order.
    public var unscheduled: [UnscheduledActivity]

    public init(id: String, workboard: [WorkboardEntry], calendar: [CalendarBlock], unscheduled: [UnscheduledActivity])
    {
        self.id = id
        self.workboard = workboard
        self.calendar = calendar
        self.unscheduled = unscheduled
    }
}

/// A Next Activity's place on the Workboard and when the technician will really work on it.
public struct WorkboardEntry: Hashable, Sendable {
    public var activityId: String
    /// 1-based position in Workboard order.
    public var position: Int
    /// First moment of work; `nil` when the activity does not finish within the horizon.
    public var estimatedStart: Instant?
    /// Last moment of work; `nil` when the activity does not finish within the horizon.
    public var estimatedFinish: Instant?
    public var dueDateTime: Instant?
    /// The activity has a due date and finishes after it, or not within the horizon.
    public var atRisk: Bool

    public init(
        activityId: String, position: Int, estimatedStart: Instant?, estimatedFinish: Instant?, dueDateTime: Instant?,
        atRisk: Bool
    ) {
        self.activityId = activityId
        self.position = position
        self.estimatedStart = estimatedStart
        self.estimatedFinish = estimatedFinish
        self.dueDateTime = dueDateTime
        self.atRisk = atRisk
    }
}

/// One block of a Next Activity on the calendar: what becomes one service call in the PSA.
public struct CalendarBlock: Hashable, Sendable {
    public var activityId: String
    public var start: Instant
    public var end: Instant
    /// This block's number among the activity's blocks, from 1.
    public var part: Int
    public var parts: Int

    public init(activityId: String, start: Instant, end: Instant, part: Int, parts: Int) {
        self.activityId = activityId
        self.start = start
        self.end = end
        self.part = part
        self.parts = parts
    }
}

/// A Next Activity the calendar plan could not place, and why.
public struct UnscheduledActivity: Hashable, Sendable {
    public var activityId: String
    public var reason: UnscheduledReason

    public init(activityId: String, reason: UnscheduledReason) {
        self.activityId = activityId
        self.reason = reason
    }
}

/// Why a block found no place, phrased so a dispatcher knows what to change.
public enum UnscheduledReason: Hashable, Sendable, CustomStringConvertible {
    /// The activity sleeps until after the horizon ends.
    case sleepsPastHorizon(sleepUntil: Instant, horizonEnd: Instant)
    /// No shift between the earliest start and the horizon is long enough for the block.
    case noShiftLongEnough(part: Int, parts: Int, blockMinutes: Int, horizonEnd: Instant)
    /// Shifts are long enough, but every window is taken or would break the free-time rule.
    case noFreeWindow(part: Int, parts: Int, blockMinutes: Int, keepsFreeTime: Bool, horizonEnd: Instant)

    public var description: String {
        switch self {
        case .sleepsPastHorizon(let sleepUntil, let horizonEnd):
            return "sleeps until \(sleepUntil), after the horizon ends at \(horizonEnd)"
        case .noShiftLongEnough(let part, let parts, let minutes, let horizonEnd):
            return Self.prefix(part, parts)
                + "no shift before the horizon (\(horizonEnd)) is long enough for a block of \(minutes) minutes"
        case .noFreeWindow(let part, let parts, let minutes, let keepsFreeTime, let horizonEnd):
            return Self.prefix(part, parts) + "no free window of \(minutes) minutes"
                + (keepsFreeTime ? " that keeps the free time required between activities" : "")
                + " before the horizon (\(horizonEnd))"
        }
    }

    private static func prefix(_ part: Int, _ parts: Int) -> String {
        parts > 1 ? "block \(part) of \(parts): " : ""
    }
}
