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

    public init() {}

    /// These settings with every field `overrides` sets replaced.
    public func applying(_ overrides: SettingsOverrides) -> Settings {
        var result = self
        if let value = overrides.alignmentMinutes { result.alignmentMinutes = value }
        if let value = overrides.minMinutesFreeBetweenActivities { result.minMinutesFreeBetweenActivities = value }
        if let value = overrides.maxBlockMinutes { result.maxBlockMinutes = value }
        if let value = overrides.horizonDays { result.horizonDays = value }
        if let value = overrides.blockOnFreeExternalAppointments { result.blockOnFreeExternalAppointments = value }
        if let value = overrides.bookingProfile { result.bookingProfile = value }
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

    public init(
        alignmentMinutes: Int? = nil, minMinutesFreeBetweenActivities: Int? = nil, maxBlockMinutes: Int? = nil,
        horizonDays: Int? = nil, blockOnFreeExternalAppointments: Bool? = nil,
        bookingProfile: BookingProfile?? = nil
    ) {
        self.alignmentMinutes = alignmentMinutes
        self.minMinutesFreeBetweenActivities = minMinutesFreeBetweenActivities
        self.maxBlockMinutes = maxBlockMinutes
        self.horizonDays = horizonDays
        self.blockOnFreeExternalAppointments = blockOnFreeExternalAppointments
        self.bookingProfile = bookingProfile
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
