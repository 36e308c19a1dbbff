import Foundation

/// A technician as the planner sees them: where they work, when, what blocks them, and their work.
public struct Technician: Sendable {
    public var id: String
    public var name: String?
    /// The zone their working hours are read in.
    public var timeZone: TimeZone
    public var workSchedule: WorkSchedule
    public var busy: [BusyItem]
    public var nextActivities: [NextActivity]
    /// Overrides of the site's settings for this technician.
    public var settings: SettingsOverrides

    public init(
        id: String, name: String? = nil, timeZone: TimeZone, workSchedule: WorkSchedule, busy: [BusyItem] = [],
        nextActivities: [NextActivity] = [], settings: SettingsOverrides = SettingsOverrides()
    ) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.workSchedule = workSchedule
        self.busy = busy
        self.nextActivities = nextActivities
        self.settings = settings
    }
}

/// Everything one planning run needs: the moment it plans from, the site's settings and the technicians.
public struct PlanningProblem: Sendable {
    public var now: Instant
    public var settings: Settings
    public var technicians: [Technician]

    public init(now: Instant, settings: Settings = Settings(), technicians: [Technician]) {
        self.now = now
        self.settings = settings
        self.technicians = technicians
    }
}
