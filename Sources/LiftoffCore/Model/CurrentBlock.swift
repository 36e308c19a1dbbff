/// A block that is on the PSA calendar now, as a service call Liftoff wrote for it.
///
/// Given to the planner per technician (`current` in plan-format.md), it lets the calendar plan keep
/// a block where it already is while it is still good — *A calm calendar* in `docs/scheduling.md` —
/// so a reflow moves a call only when it has to. Without current blocks the plan is exactly the
/// earliest-start plan.
public struct CurrentBlock: Hashable, Sendable {
    public var activityId: String
    /// 1 for an activity's first block; blocks are cut as the calendar plan cuts them.
    public var part: Int
    public var start: Instant
    public var end: Instant

    public init(activityId: String, part: Int, start: Instant, end: Instant) {
        self.activityId = activityId
        self.part = part
        self.start = start
        self.end = end
    }
}
