extension DemoMSP {
    /// A due date as a real MSP's tickets carry them: the resolution SLA from creation, but an open
    /// ticket whose SLA has long passed has usually had its due date agreed anew with the customer
    /// (a part on order, a maintenance window), days ahead. About one in seventeen keeps its lapsed SLA:
    /// those are the fires. Drawn from the creation time, not the random stream, so the rest of the
    /// demo stays as it was.
    static func dueDate(created: Int64, priority: Int64, completed: Bool, now: Int64) -> Int64 {
        let sla = created + Priority.resolutionSeconds(priority)
        guard !completed, sla < now else { return sla }
        let spread = (created / 7) % 1_000
        guard spread >= 60 else { return sla }
        // Agreed for one to ten days ahead, at a whole hour.
        let days = 1 + (created / 11) % 10
        return (now + days * 86_400) / 3_600 * 3_600
    }
}
