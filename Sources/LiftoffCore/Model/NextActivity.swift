/// A block of effort on one ticket (or project task) with a duration and no fixed time: the unit the
/// planner orders and places.
public struct NextActivity: Hashable, Sendable {
    public var id: String
    public var ticketId: String?
    /// The ticket's priority rank; 1 is the most urgent.
    public var priority: Int
    public var durationMinutes: Int
    /// When the ticket was created; older tickets go first within a priority.
    public var ticketCreated: Instant
    /// The activity is not worked before this instant (waiting on a customer, say).
    public var sleepUntil: Instant?
    /// Set once the technician has started it; started work stays where it is.
    public var startedAt: Instant?
    /// The ticket's due date, against which the work plan judges risk.
    public var dueDateTime: Instant?

    public init(
        id: String, ticketId: String? = nil, priority: Int, durationMinutes: Int, ticketCreated: Instant,
        sleepUntil: Instant? = nil, startedAt: Instant? = nil, dueDateTime: Instant? = nil
    ) {
        self.id = id
        self.ticketId = ticketId
        self.priority = priority
        self.durationMinutes = durationMinutes
        self.ticketCreated = ticketCreated
        self.sleepUntil = sleepUntil
        self.startedAt = startedAt
        self.dueDateTime = dueDateTime
    }
}
