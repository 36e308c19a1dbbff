/// The planning settings of `docs/scheduling.md`, with their defaults.
public struct Settings: Hashable, Sendable {
    /// The start-time grids a dispatcher can choose for NA blocks, in minutes.
    public static let allowedAlignments = [1, 5, 10, 15, 20, 30, 60]

    public var alignmentMinutes = 5
    public var minMinutesFreeBetweenActivities = 0
    public var maxBlockMinutes = 240
    public var horizonDays = 14
    public var blockOnFreeExternalAppointments = true
    public var bookingProfile: BookingProfile?
    /// How much later than necessary a block already on the calendar may stay (*A calm calendar*):
    /// a calm Outlook is worth a little lost time, but not an hour's idle wait by default.
    public var reflowToleranceMinutes = 60

    public init() {}

    /// These settings brought within the ranges `docs/plan-format.md` allows, so the planner can
    /// rely on them: an alignment that is not allowed becomes the default 5, counts are clamped, and
    /// a booking grid that neither divides nor is a multiple of 60 becomes 60. The plan reader
    /// refuses such values outright; this protects callers that build settings in code.
    public var clamped: Settings {
        var result = self
        if !Self.allowedAlignments.contains(alignmentMinutes) { result.alignmentMinutes = 5 }
        result.minMinutesFreeBetweenActivities = min(max(0, minMinutesFreeBetweenActivities), 1_000_000)
        result.maxBlockMinutes = min(max(1, maxBlockMinutes), 1_000_000)
        result.horizonDays = min(max(1, horizonDays), 366)
        result.reflowToleranceMinutes = min(max(0, reflowToleranceMinutes), 1_000_000)
        if var profile = bookingProfile {
            profile.meetingMinutes = min(max(1, profile.meetingMinutes), 1_000_000)
            profile.bufferBeforeMinutes = min(max(0, profile.bufferBeforeMinutes), 1_000_000)
            profile.bufferAfterMinutes = min(max(0, profile.bufferAfterMinutes), 1_000_000)
            let increment = profile.startIncrementMinutes
            if increment < 1 || increment > 1440 || (60 % increment != 0 && increment % 60 != 0) {
                profile.startIncrementMinutes = 60
            }
            result.bookingProfile = profile
        }
        return result
    }

    /// These settings with every field `overrides` sets replaced.
    public func applying(_ overrides: SettingsOverrides) -> Settings {
        var result = self
        if let value = overrides.alignmentMinutes { result.alignmentMinutes = value }
        if let value = overrides.minMinutesFreeBetweenActivities { result.minMinutesFreeBetweenActivities = value }
        if let value = overrides.maxBlockMinutes { result.maxBlockMinutes = value }
        if let value = overrides.horizonDays { result.horizonDays = value }
        if let value = overrides.blockOnFreeExternalAppointments { result.blockOnFreeExternalAppointments = value }
        if let value = overrides.bookingProfile { result.bookingProfile = value }
        if let value = overrides.reflowToleranceMinutes { result.reflowToleranceMinutes = value }
        return result
    }
}

/// Settings given for a site or a technician: each field is set or left to the level above.
public struct SettingsOverrides: Hashable, Sendable {
    public var alignmentMinutes: Int?
    public var minMinutesFreeBetweenActivities: Int?
    public var maxBlockMinutes: Int?
    public var horizonDays: Int?
    public var blockOnFreeExternalAppointments: Bool?
    /// `.some(nil)` removes a profile set at the level above.
    public var bookingProfile: BookingProfile??
    public var reflowToleranceMinutes: Int?

    public init(
        alignmentMinutes: Int? = nil, minMinutesFreeBetweenActivities: Int? = nil, maxBlockMinutes: Int? = nil,
        horizonDays: Int? = nil, blockOnFreeExternalAppointments: Bool? = nil,
        bookingProfile: BookingProfile?? = nil, reflowToleranceMinutes: Int? = nil
    ) {
        self.alignmentMinutes = alignmentMinutes
        self.minMinutesFreeBetweenActivities = minMinutesFreeBetweenActivities
        self.maxBlockMinutes = maxBlockMinutes
        self.horizonDays = horizonDays
        self.blockOnFreeExternalAppointments = blockOnFreeExternalAppointments
        self.bookingProfile = bookingProfile
        self.reflowToleranceMinutes = reflowToleranceMinutes
    }
}

/// How an outside scheduler offers meetings; gaps between NA blocks must hold one such meeting.
public struct BookingProfile: Hashable, Sendable {
    public var meetingMinutes: Int
    public var bufferBeforeMinutes: Int
    public var bufferAfterMinutes: Int
    /// Meetings start on local minutes of the day divisible by this (a divisor or multiple of 60).
    public var startIncrementMinutes: Int

    public init(
        meetingMinutes: Int, bufferBeforeMinutes: Int = 0, bufferAfterMinutes: Int = 0, startIncrementMinutes: Int
    ) {
        self.meetingMinutes = meetingMinutes
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.startIncrementMinutes = startIncrementMinutes
    }
}
