import Foundation
import LiftoffCore

/// A realistic, deterministic demo MSP that seeds the Autotask sandbox: "Keystone IT Partners", with
/// offices in New York, London and Pune, twelve technicians, fifteen small-business clients, a service
/// desk backlog and a week of Exchange-synced calendars.
///
/// Liftoff's planner is only convincing against data that looks like a real tenant: tickets of every age
/// and priority, Calendly and FindTime meetings, private items that Exchange hides as "Appointment",
/// TimeZest bookings, public holidays and time off in three time zones. Everything is derived from `now`
/// and a seed fixed per week — no wall clock, no system randomness — so a demo, a screenshot or a test
/// sees the same tenant whenever it asks for the same `now`.
///
/// ```swift
/// let tenant = DemoMSP.records(now: Date())
/// let tickets = tenant["Tickets"] ?? []
/// ```
public enum DemoMSP {
    /// Records per Autotask entity name ("Tickets", "Appointments", …) for the week containing `now`
    /// (Monday 00:00 UTC up to the next Monday). Same `now` and `technicianCount` → identical output.
    ///
    /// Appointments lie in that week; holidays, time off and TimeZest service calls in that week or the
    /// next; ticket ages count back from `now`. The random choices depend only on the week, so a sandbox
    /// restarted later in the same week shows the same tickets, only older.
    ///
    /// `technicianCount` sizes the team, for benchmarks: the default twelve is the tenant described above;
    /// a larger team adds generated technicians, and the open tickets, TimeZest bookings and time-off
    /// requests grow in proportion (250 open tickets per twelve technicians). A count outside
    /// ``technicianCounts`` is clamped to it.
    public static func records(now: Date, technicianCount: Int = 12) -> [String: [JSONObject]] {
        var tenant = Tenant(now: now, technicians: technicians(count: technicianCount))
        return tenant.build()
    }

    /// The team sizes ``records(now:technicianCount:)`` makes. At the top of the range every id range still
    /// stays clear of the next one: the last ticket id is below the first appointment id.
    public static let technicianCounts: ClosedRange<Int> = 1...500
}
