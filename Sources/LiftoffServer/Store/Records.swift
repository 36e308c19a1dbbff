import Fluent
import Foundation

/// A technician: an Autotask resource with the time zone and working hours Liftoff plans in.
final class TechnicianRecord: Model, @unchecked Sendable {
    static let schema = "technicians"

    @ID(key: .id) var id: UUID?
    @Field(key: "resource_id") var resourceID: Int
    @Field(key: "name") var name: String
    @OptionalField(key: "email") var email: String?
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "time_zone") var timeZone: String
    @OptionalField(key: "location_id") var locationID: Int?
    /// The work schedule as plan-format.md's `workSchedule` JSON (wall-clock rules, never instants).
    @Field(key: "work_schedule") var workSchedule: String
    // A technician's setting overrides live in the `settings` table (`technician:ID`, SettingsStore),
    // the one place the page and the API write them; the old `settings` column here is dropped
    // (DropTechnicianSettingsColumn).

    // `time_zone` and `work_schedule` above are what Liftoff plans with: the admin's choice where
    // there is one, else what the import understood. The columns below keep both sides, so an
    // import never overwrites a hand-set zone and clearing the hand-set zone brings the import back.

    /// The IANA zone the import resolved, or nil when Autotask's value could not be understood.
    @OptionalField(key: "imported_time_zone") var importedTimeZone: String?
    /// How the import understood the zone (or why it could not), in words for the admin.
    @OptionalField(key: "zone_source") var zoneSource: String?
    /// The work schedule made from the location's business hours and holidays, when there is one.
    @OptionalField(key: "imported_work_schedule") var importedWorkSchedule: String?
    /// The zone an admin or dispatcher set by hand (IANA id); wins over the import.
    @OptionalField(key: "zone_override") var zoneOverride: String?
    /// Weekly hours set by hand, as plan-format.md's `weekly` JSON; the imported holidays still apply.
    @OptionalField(key: "hours_override") var hoursOverride: String?
    /// Why this technician needs attention (no service calls are written for them), or nil.
    @OptionalField(key: "attention") var attention: String?

    init() {}
}

/// A ticket, with the fields planning needs; `priorityRank` comes from the picklist's sort order.
final class TicketRecord: Model, @unchecked Sendable {
    static let schema = "tickets"

    @ID(key: .id) var id: UUID?
    @Field(key: "ticket_id") var ticketID: Int
    @Field(key: "number") var number: String
    @Field(key: "title") var title: String
    @Field(key: "status") var status: Int
    @Field(key: "priority") var priority: Int
    @Field(key: "priority_rank") var priorityRank: Int
    @OptionalField(key: "queue_id") var queueID: Int?
    @OptionalField(key: "company_id") var companyID: Int?
    @OptionalField(key: "assigned_resource_id") var assignedResourceID: Int?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "last_activity_at") var lastActivityAt: Date?
    @Field(key: "is_open") var isOpen: Bool
    /// When the import last saw the ticket handed to its assignee: assigned to someone new, or
    /// reopened. A Next Activity that ended before this is no reason to leave the work unplanned.
    @OptionalField(key: "assigned_at") var assignedAt: Date?

    init() {}
}

/// A block of effort on a ticket for one technician: what the planner orders and places.
final class NextActivityRecord: Model, @unchecked Sendable {
    static let schema = "next_activities"

    @ID(key: .id) var id: UUID?
    /// The id the planner and the API use, e.g. `NA-7021-1`.
    @Field(key: "activity_id") var activityID: String
    @Field(key: "resource_id") var resourceID: Int
    @Field(key: "ticket_id") var ticketID: Int
    @Field(key: "duration_minutes") var durationMinutes: Int
    @OptionalField(key: "sleep_until") var sleepUntil: Date?
    @OptionalField(key: "started_at") var startedAt: Date?
    /// `pending` (waiting to be accepted), `open` (started when `startedAt` is set), `completed`,
    /// `cancelled` or `declined`.
    @Field(key: "state") var state: String
    /// `rule` (created for a newly assigned ticket) or `api` (a dispatcher or technician).
    @Field(key: "origin") var origin: String
    @Field(key: "created_at") var createdAt: Date
    /// Why it was declined or cancelled, as the technician or dispatcher said.
    @OptionalField(key: "reason") var reason: String?
    /// When it was completed, cancelled or declined.
    @OptionalField(key: "ended_at") var endedAt: Date?

    init() {}
}

extension NextActivityRecord {
    /// `pending`, `open`, `started` (open with a start time) or how it ended, as pages and the API say it.
    var displayState: String {
        state == "open" && startedAt != nil ? "started" : state
    }
}

/// Something fixed on a technician's calendar, imported or Liftoff's own fixed appointment.
final class BusyItemRecord: Model, @unchecked Sendable {
    static let schema = "busy_items"

    @ID(key: .id) var id: UUID?
    @Field(key: "resource_id") var resourceID: Int
    /// Where it came from, unique per technician: `appointment:17`, `servicecall:88`, `timeoff:5`.
    @Field(key: "source") var source: String
    /// plan-format.md's kinds: `external`, `imported`, `fixed`, `timeOff`.
    @Field(key: "kind") var kind: String
    @Field(key: "start") var start: Date
    @Field(key: "end") var end: Date
    @OptionalField(key: "title") var title: String?
    @OptionalField(key: "show_as") var showAs: String?
    @OptionalField(key: "status") var status: String?

    init() {}
}

/// The link between a calendar-plan block and the Autotask service call Liftoff created for it.
final class ServiceCallLinkRecord: Model, @unchecked Sendable {
    static let schema = "service_call_links"

    @ID(key: .id) var id: UUID?
    /// The marker token in the call's description; unique, chosen before the create is sent.
    @Field(key: "marker") var marker: String
    @OptionalField(key: "service_call_id") var serviceCallID: Int?
    @OptionalField(key: "service_call_ticket_id") var serviceCallTicketID: Int?
    @OptionalField(key: "resource_link_id") var resourceLinkID: Int?
    @Field(key: "resource_id") var resourceID: Int
    @Field(key: "ticket_id") var ticketID: Int
    @Field(key: "activity_id") var activityID: String
    @Field(key: "part") var part: Int
    @Field(key: "parts") var parts: Int
    @Field(key: "start") var start: Date
    @Field(key: "end") var end: Date
    @Field(key: "is_complete") var isComplete: Bool
    /// `pending` until the service call and both of its links exist, then `created`.
    @Field(key: "state") var state: String

    init() {}
}

/// A setting: the site's (`key` = `site`) or a technician's (`key` = `technician:{resourceID}`), as
/// plan-format.md's `settings` JSON.
final class SettingRecord: Model, @unchecked Sendable {
    static let schema = "settings"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "value") var value: String

    init() {}
}

/// An intended write to the PSA, kept until it is done: the only path by which Liftoff writes.
final class OutboxRecord: Model, @unchecked Sendable {
    static let schema = "outbox"

    @ID(key: .id) var id: UUID?
    /// `create`, `move`, `finish`, `remove`.
    @Field(key: "kind") var kind: String
    @Field(key: "link_id") var linkID: UUID
    @OptionalField(key: "start") var start: Date?
    @OptionalField(key: "end") var end: Date?
    /// `pending`, `done` or `failed` (permanently, with `last_error`).
    @Field(key: "state") var state: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "reason") var reason: String
    @OptionalField(key: "run_id") var runID: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// Queues a write of `link`'s service call; call it in the transaction that decides it.
    static func queue(
        _ kind: String, link: ServiceCallLinkRecord, start: Date? = nil, end: Date? = nil, reason: String,
        runID: UUID? = nil, now: Date, on database: Database
    ) async throws {
        let entry = OutboxRecord()
        entry.kind = kind
        entry.linkID = try link.requireID()
        entry.start = start
        entry.end = end
        entry.state = "pending"
        entry.attempts = 0
        entry.reason = reason
        entry.runID = runID
        entry.createdAt = now
        try await entry.save(on: database)
    }
}

/// One write made to the PSA, for the audit log.
final class AuditRecord: Model, @unchecked Sendable {
    static let schema = "audit_log"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: String
    @Field(key: "entity") var entity: String
    @OptionalField(key: "entity_id") var entityID: Int?
    @Field(key: "detail") var detail: String
    @OptionalField(key: "run_id") var runID: UUID?

    init() {}
}

/// One Calendar Reflow run: what it changed, why, and what it cost.
final class ReflowRunRecord: Model, @unchecked Sendable {
    static let schema = "reflow_runs"

    @ID(key: .id) var id: UUID?
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @Field(key: "trigger") var trigger: String
    /// `running`, `succeeded`, `failed`.
    @Field(key: "outcome") var outcome: String
    @Field(key: "created") var created: Int
    @Field(key: "moved") var moved: Int
    @Field(key: "removed") var removed: Int
    @Field(key: "api_requests") var apiRequests: Int
    /// One line per change: activity, old → new times, reason.
    @Field(key: "changes") var changes: String
    @OptionalField(key: "error") var error: String?

    init() {}
}

/// Where incremental import left off, per stream.
final class SyncStateRecord: Model, @unchecked Sendable {
    static let schema = "sync_state"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "cursor") var cursor: Date?
    @OptionalField(key: "last_full_at") var lastFullAt: Date?
    /// For the `plan-version` row (``PlanVersion``): the stamp that changes with the plan. (The reflow
    /// lease has its own table, ``ReflowLease``.)
    @OptionalField(key: "holder") var holder: String?

    init() {}
}
