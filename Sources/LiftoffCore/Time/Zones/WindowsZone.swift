import Foundation

/// One Windows time zone as CLDR's windowsZones table describes it.
///
/// Autotask names zones the Windows way; Liftoff plans in IANA zones. A Windows zone covers several
/// IANA zones (every territory's own), so the table keeps them all: the first one this system's
/// Foundation knows is the one Liftoff uses.
public struct WindowsZone: Sendable, Equatable {
    /// The Windows registry id, e.g. "Eastern Standard Time".
    public let windowsID: String
    /// CLDR's primary ("001") IANA id, e.g. "America/New_York" (CLDR keeps old spellings like "Asia/Calcutta").
    public let cldrPrimaryID: String
    /// IANA ids in order of preference: the current spelling of the primary id when CLDR keeps an old one
    /// ("Asia/Kolkata"), the primary id, then every other id CLDR lists for any territory.
    public let ianaIDs: [String]
    /// The English display name from CLDR's comment, e.g. "(UTC-05:00) Eastern Time (US & Canada)".
    public let displayName: String
    /// The standard (non-daylight) offset from UTC the display name gives, in minutes east.
    public let standardOffsetMinutes: Int

    /// The first of ``ianaIDs`` that Foundation knows on this system, or nil when it knows none.
    public var identifier: String? {
        ianaIDs.first { TimeZone(identifier: $0) != nil }
    }
}
