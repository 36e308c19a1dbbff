// The demo MSP's three offices: where each one is, its time zone as the tenant's picklist and
// Windows name it, its holiday set and its stand-up time, plus the business hours all of them share.

extension DemoMSP {
    enum Country {
        case unitedStates, unitedKingdom, india
    }

    /// An internal location. Business hours are 08:00–17:00 local, Monday to Friday, everywhere.
    struct Office {
        let name: String
        let city: String
        let country: Country
        /// The tenant's `timeZoneID` picklist value.
        let timeZoneID: Int64
        /// The Windows zone that picklist value stands for; its label shows it in the server's ``ZoneLabelForm``.
        let windowsZone: String
        let zoneIdentifier: String
        let holidaySetName: String
        let holidaySetDescription: String
        /// Local minute of day of the office's daily stand-up.
        let standUpMinute: Int
    }

    static let offices: [Office] = [
        Office(
            name: "New York HQ", city: "New York", country: .unitedStates, timeZoneID: 11,
            windowsZone: "Eastern Standard Time", zoneIdentifier: "America/New_York",
            holidaySetName: "United States",
            holidaySetDescription: "US federal holidays plus the day after Thanksgiving (New York HQ)",
            standUpMinute: 9 * 60),
        Office(
            name: "London Office", city: "London", country: .unitedKingdom, timeZoneID: 40,
            windowsZone: "GMT Standard Time", zoneIdentifier: "Europe/London",
            holidaySetName: "United Kingdom",
            holidaySetDescription: "Bank holidays in England and Wales (London Office)",
            standUpMinute: 9 * 60),
        Office(
            name: "Pune Service Centre", city: "Pune", country: .india, timeZoneID: 60,
            windowsZone: "India Standard Time", zoneIdentifier: "Asia/Kolkata",
            holidaySetName: "India",
            holidaySetDescription: "National and Maharashtra holidays (Pune Service Centre)",
            standUpMinute: 9 * 60 + 30),
    ]

    /// Each office's `timeZoneID` picklist value and IANA zone, for tests of the zone labels.
    static var officeZones: [(name: String, timeZoneID: Int64, windowsZone: String, zoneIdentifier: String)] {
        offices.map { ($0.name, $0.timeZoneID, $0.windowsZone, $0.zoneIdentifier) }
    }

    static let businessDayStartMinute = 8 * 60
    static let businessDayEndMinute = 17 * 60
}
