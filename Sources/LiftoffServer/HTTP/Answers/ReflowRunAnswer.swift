import Foundation

/// A recorded Calendar Reflow run as `GET /api/v1/reflow/runs` gives it: counts as JSON numbers,
/// `finishedAt` and `error` `null` when there is none, the change lines as an array.
struct ReflowRunAnswer: Encodable {
    var id: String
    var startedAt: String
    var finishedAt: String?
    var trigger: String
    var outcome: String
    var created: Int
    var moved: Int
    var removed: Int
    var apiRequests: Int
    var changes: [String]
    var error: String?

    init(_ run: ReflowRunRecord) {
        id = run.id?.uuidString ?? ""
        startedAt = AutotaskDateText.instant(run.startedAt)
        finishedAt = run.finishedAt.map(AutotaskDateText.instant)
        trigger = run.trigger
        outcome = run.outcome
        created = run.created
        moved = run.moved
        removed = run.removed
        apiRequests = run.apiRequests
        changes = run.changes.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        error = run.error
    }

    private enum CodingKeys: String, CodingKey {
        case id, startedAt, finishedAt, trigger, outcome, created, moved, removed, apiRequests, changes, error
    }

    /// Every key always present, so a client reads `null` rather than guessing from a missing key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(trigger, forKey: .trigger)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(created, forKey: .created)
        try container.encode(moved, forKey: .moved)
        try container.encode(removed, forKey: .removed)
        try container.encode(apiRequests, forKey: .apiRequests)
        try container.encode(changes, forKey: .changes)
        try container.encode(error, forKey: .error)
    }
}
