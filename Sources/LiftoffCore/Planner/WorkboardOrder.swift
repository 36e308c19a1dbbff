/// The Workboard order of `docs/scheduling.md`: started work first (earliest `startedAt`), then
/// priority rank, then oldest ticket, then activity id as UTF-8 bytes, so the order is total.
///
/// It depends on nothing but the activities themselves — never on meetings, gaps or calendar
/// settings — which is why changing Min Minutes Free Between Activities never reorders a Workboard.
public enum WorkboardOrder {
    /// `activities` in Workboard order.
    public static func sorted(_ activities: [NextActivity]) -> [NextActivity] {
        activities.sorted(by: precedes)
    }

    /// Whether `lhs` stands above `rhs` on the Workboard.
    public static func precedes(_ lhs: NextActivity, _ rhs: NextActivity) -> Bool {
        switch (lhs.startedAt, rhs.startedAt) {
        case (let left?, let right?) where left != right: return left < right
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        if lhs.startedAt == nil {
            if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
            if lhs.ticketCreated != rhs.ticketCreated { return lhs.ticketCreated < rhs.ticketCreated }
        }
        return lhs.id.utf8.lexicographicallyPrecedes(rhs.id.utf8)
    }
}
