import Foundation

/// A Next Activity as `GET /api/v1/activities` and `POST /api/v1/activities` give it: numbers as JSON
/// numbers, instants as RFC 3339 text, and `null` for an instant that is not set.
struct ActivityAnswer: Encodable {
    var id: String
    var ticketId: Int
    var technicianId: Int
    var durationMinutes: Int
    var state: String
    var origin: String
    var sleepUntil: String?
    var startedAt: String?

    init(_ activity: NextActivityRecord) {
        id = activity.activityID
        ticketId = activity.ticketID
        technicianId = activity.resourceID
        durationMinutes = activity.durationMinutes
        state = activity.state
        origin = activity.origin
        sleepUntil = activity.sleepUntil.map(AutotaskDateText.instant)
        startedAt = activity.startedAt.map(AutotaskDateText.instant)
    }

    private enum CodingKeys: String, CodingKey {
        case id, ticketId, technicianId, durationMinutes, state, origin, sleepUntil, startedAt
    }

    /// Every key always present, so a client reads `null` rather than guessing from a missing key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(ticketId, forKey: .ticketId)
        try container.encode(technicianId, forKey: .technicianId)
        try container.encode(durationMinutes, forKey: .durationMinutes)
        try container.encode(state, forKey: .state)
        try container.encode(origin, forKey: .origin)
        try container.encode(sleepUntil, forKey: .sleepUntil)
        try container.encode(startedAt, forKey: .startedAt)
    }
}
