import Fluent

/// The Store's tables. Runs on start; idempotent through Fluent's migration log.
struct CreateSchema: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(TechnicianRecord.schema).id()
            .field("resource_id", .int, .required).field("name", .string, .required).field("email", .string)
            .field("is_active", .bool, .required).field("time_zone", .string, .required).field("location_id", .int)
            .field("work_schedule", .string, .required).field("settings", .string)
            .unique(on: "resource_id").create()
        try await database.schema(TicketRecord.schema).id()
            .field("ticket_id", .int, .required).field("number", .string, .required).field("title", .string, .required)
            .field("status", .int, .required).field("priority", .int, .required).field("priority_rank", .int, .required)
            .field("queue_id", .int).field("company_id", .int).field("assigned_resource_id", .int)
            .field("created_at", .datetime, .required).field("due_at", .datetime).field("last_activity_at", .datetime)
            .field("is_open", .bool, .required)
            .unique(on: "ticket_id").create()
        try await database.schema(NextActivityRecord.schema).id()
            .field("activity_id", .string, .required).field("resource_id", .int, .required).field(
                "ticket_id", .int, .required
            )
            .field("duration_minutes", .int, .required).field("sleep_until", .datetime).field("started_at", .datetime)
            .field("state", .string, .required).field("origin", .string, .required).field(
                "created_at", .datetime, .required
            )
            .unique(on: "activity_id").create()
        try await database.schema(BusyItemRecord.schema).id()
            .field("resource_id", .int, .required).field("source", .string, .required).field("kind", .string, .required)
            .field("start", .datetime, .required).field("end", .datetime, .required).field("title", .string)
            .field("show_as", .string).field("status", .string)
            .unique(on: "resource_id", "source").create()
        try await database.schema(ServiceCallLinkRecord.schema).id()
            .field("marker", .string, .required).field("service_call_id", .int).field("service_call_ticket_id", .int)
            .field("resource_link_id", .int).field("resource_id", .int, .required).field("ticket_id", .int, .required)
            .field("activity_id", .string, .required).field("part", .int, .required).field("parts", .int, .required)
            .field("start", .datetime, .required).field("end", .datetime, .required)
            .field("is_complete", .bool, .required).field("state", .string, .required)
            .unique(on: "marker").create()
        try await database.schema(SettingRecord.schema).id()
            .field("key", .string, .required).field("value", .string, .required).unique(on: "key").create()
        try await database.schema(OutboxRecord.schema).id()
            .field("kind", .string, .required).field("link_id", .uuid, .required).field("start", .datetime)
            .field("end", .datetime).field("state", .string, .required).field("attempts", .int, .required)
            .field("last_error", .string).field("reason", .string, .required).field("run_id", .uuid)
            .field("created_at", .datetime, .required).create()
        try await database.schema(AuditRecord.schema).id()
            .field("at", .datetime, .required).field("action", .string, .required).field("entity", .string, .required)
            .field("entity_id", .int).field("detail", .string, .required).field("run_id", .uuid).create()
        try await database.schema(ReflowRunRecord.schema).id()
            .field("started_at", .datetime, .required).field("finished_at", .datetime).field(
                "trigger", .string, .required
            )
            .field("outcome", .string, .required).field("created", .int, .required).field("moved", .int, .required)
            .field("removed", .int, .required).field("api_requests", .int, .required).field(
                "changes", .string, .required
            )
            .field("error", .string).create()
        try await database.schema(SyncStateRecord.schema).id()
            .field("name", .string, .required).field("cursor", .datetime).field("last_full_at", .datetime)
            .field("holder", .string)
            .unique(on: "name").create()
    }

    func revert(on database: Database) async throws {
        for schema in [
            SyncStateRecord.schema, ReflowRunRecord.schema, AuditRecord.schema, OutboxRecord.schema,
            SettingRecord.schema,
            ServiceCallLinkRecord.schema, BusyItemRecord.schema, NextActivityRecord.schema, TicketRecord.schema,
            TechnicianRecord.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}
