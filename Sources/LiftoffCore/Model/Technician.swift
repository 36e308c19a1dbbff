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
    /// The blocks now on the PSA calendar, kept where still good (*A calm calendar*); empty plans
    /// by the earliest-start rule alone.
    public var current: [CurrentBlock]

    public init(
        id: String, name: String? = nil, timeZone: TimeZone, workSchedule: WorkSchedule, busy: [BusyItem] = [],
        nextActivities: [NextActivity] = [], settings: SettingsOverrides = SettingsOverrides(),
        current: [CurrentBlock] = []
    ) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.workSchedule = workSchedule
        self.busy = busy
        self.nextActivities = nextActivities
        self.settings = settings
        self.current = current
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
