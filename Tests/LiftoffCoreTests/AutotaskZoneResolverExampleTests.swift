import Foundation
import Testing

@testable import LiftoffCore

/// The labels seen in the wild, the labels that must not resolve, and the zones with odd offsets.
@Suite struct AutotaskZoneResolverExampleTests {
    @Test func theIssuesExampleLabels() throws {
        let eastern = try #require(AutotaskZoneResolver.resolve(label: "(GMT-05:00) Eastern Time (US & Canada)"))
        #expect(eastern.identifier == "America/New_York")
        #expect(eastern.windowsID == "Eastern Standard Time")
        #expect(eastern.form == .displayName)
        #expect(
            eastern.explanation
                == "label \"(GMT-05:00) Eastern Time (US & Canada)\" read as the Windows display name of"
                + " Eastern Standard Time → America/New_York")

        let london = try #require(
            AutotaskZoneResolver.resolve(label: "(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London"))
        #expect(london.identifier == "Europe/London")
        #expect(london.windowsID == "GMT Standard Time")
        #expect(london.form == .displayName)
        #expect(london.explanation.contains("older wording"))
    }

    @Test(arguments: [
        ("Eastern Standard Time", "America/New_York", ResolvedTimeZone.Form.windowsID),
        ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York", .displayName),
        ("(GMT-05:00) Eastern Time (US and Canada)", "America/New_York", .displayName),
        ("America/New_York", "America/New_York", .ianaName),
        ("(UTC) Dublin, Edinburgh, Lisbon, London", "Europe/London", .displayName),
        ("GMT+00:00 Dublin, Edinburgh, Lisbon, London", "Europe/London", .displayName),
        ("(GMT-08:00) Pacific Time (US and Canada); Tijuana", "America/Los_Angeles", .displayName),
        ("(GMT-06:00) Central Time (US and Canada", "America/Chicago", .displayName),
        ("(UTC−05:00) Eastern Time (US & Canada)", "America/New_York", .displayName),
        ("(UTC-0500) Eastern Time (US & Canada)", "America/New_York", .displayName),
        ("Mexico Standard Time 2", "America/Mazatlan", .windowsID),
        ("U.S. Mountain Standard Time", "America/Phoenix", .windowsID),
        ("Asia/Calcutta", "Asia/Calcutta", .ianaName),
        ("asia/kolkata", "Asia/Kolkata", .ianaName),
        ("India Standard Time", "Asia/Kolkata", .windowsID),
        ("35", "America/New_York", .microsoftIndex),
    ])
    func labelsSeenInTheWild(label: String, identifier: String, form: ResolvedTimeZone.Form) throws {
        let resolved = try #require(AutotaskZoneResolver.resolve(label: label))
        #expect(resolved.identifier == identifier)
        #expect(resolved.form == form)
        #expect(resolved.explanation.hasPrefix("label \"\(label)\" read as "))
    }

    /// Only labels that mean UTC resolve to UTC.
    @Test(arguments: [
        "UTC", "(UTC) Coordinated Universal Time", "(GMT) Coordinated Universal Time", "Etc/UTC", "0x80000050",
    ])
    func labelsThatMeanUTC(label: String) throws {
        let resolved = try #require(AutotaskZoneResolver.resolve(label: label))
        #expect(resolved.windowsID == "UTC")
        #expect(resolved.identifier == "Etc/UTC")
    }

    /// Unknown, empty and ambiguous labels are nil, never a guess and never UTC. "Eastern" alone could be
    /// Eastern, US Eastern, Eastern (Mexico), E. Europe or E. Australia; a display name missing some of
    /// its words, or under the wrong offset, is not read either; a bare offset ("(UTC)") names no zone; an
    /// old label naming the places of two of today's zones (Magadan; Solomon Islands) is neither.
    @Test(arguments: [
        "Mars Standard Time", "(UTC+05:17) Nowhere", "", "   ", "Eastern", "Eastern Time",
        "(UTC-05:00) Eastern Time", "(UTC+01:00) Eastern Time (US & Canada)", "(UTC)", "(GMT)", "UTC+00:00",
        "GMT-05:00", "(UTC+04:00) Baku, Tbilisi, Yerevan", "Europe/Atlantis", "999", "0x80000099", "-35", "0x",
        "(UTC+25:00) Somewhere", "Standard Time", "UTC+11", "UTCville",
        "(GMT+11:00) Magadan, Solomon Islands, New Caledonia",
    ])
    func unclearLabelsAreNil(label: String) {
        #expect(AutotaskZoneResolver.resolve(label: label) == nil)
    }

    @Test(arguments: ["", " ", "abc", "35a", "0x", "0xZZ", "4294967296", "-1", "3.5", "999"])
    func unclearIndexValuesAreNil(text: String) {
        #expect(AutotaskZoneResolver.resolve(microsoftIndex: text) == nil)
    }

    /// Half-hour and quarter-hour zones, including Lord Howe's half-hour daylight saving time and
    /// Chatham's +12:45, resolve to zones Foundation gives the right offsets.
    @Test(arguments: [
        ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata", 330, 330),
        ("(GMT+05:45) Kathmandu", "Asia/Kathmandu", 345, 345),
        ("(UTC+10:30) Lord Howe Island", "Australia/Lord_Howe", 660, 630),
        ("(UTC+12:45) Chatham Islands", "Pacific/Chatham", 825, 765),
        ("(UTC-03:30) Newfoundland", "America/St_Johns", -210, -150),
    ])
    func oddOffsets(label: String, identifier: String, januaryMinutes: Int, julyMinutes: Int) throws {
        let resolved = try #require(AutotaskZoneResolver.resolve(label: label))
        #expect(resolved.identifier == identifier)
        let zone = try #require(TimeZone(identifier: resolved.identifier))
        let january = Date(timeIntervalSince1970: 1_768_478_400)  // 2026-01-15 12:00 UTC
        let july = Date(timeIntervalSince1970: 1_784_116_800)  // 2026-07-15 12:00 UTC
        #expect(zone.secondsFromGMT(for: january) == januaryMinutes * 60)
        #expect(zone.secondsFromGMT(for: july) == julyMinutes * 60)
    }

    @Test func formerIDsAndIndexRowsSayWhatTheyWereListedAs() throws {
        let kabul = try #require(AutotaskZoneResolver.resolve(microsoftIndex: "175"))
        #expect(
            kabul.explanation
                == "Microsoft time zone index 175 (listed as Transitional Islamic State of Afghanistan Standard Time):"
                + " Afghanistan Standard Time → Asia/Kabul")
        let mexico = try #require(AutotaskZoneResolver.resolve(label: "Mexico Standard Time 2"))
        #expect(mexico.explanation.contains("former Windows zone id Mexico Standard Time 2"))
    }

    /// When this system's time zone data lacks a zone's preferred IANA id, the next one CLDR lists is used.
    @Test func identifierFallsBackToAnIDFoundationKnows() {
        let zone = WindowsZone(
            windowsID: "Test Standard Time", cldrPrimaryID: "Mars/Olympus_Mons",
            ianaIDs: ["Mars/Olympus_Mons", "Europe/London"], displayName: "(UTC+00:00) Test",
            standardOffsetMinutes: 0)
        #expect(zone.identifier == "Europe/London")
        let nowhere = WindowsZone(
            windowsID: "Nowhere Standard Time", cldrPrimaryID: "Mars/Olympus_Mons", ianaIDs: ["Mars/Olympus_Mons"],
            displayName: "(UTC+00:00) Nowhere", standardOffsetMinutes: 0)
        #expect(nowhere.identifier == nil)
    }

    @Test func offsetPrefixes() {
        #expect(ZoneLabelText.offsetPrefix("(UTC-05:00) X")?.minutes == -300)
        #expect(ZoneLabelText.offsetPrefix("(GMT+5:30) X")?.minutes == 330)
        #expect(ZoneLabelText.offsetPrefix("( utc + 12:45 ) X")?.minutes == 765)
        #expect(ZoneLabelText.offsetPrefix("GMT X")?.minutes == 0)
        #expect(ZoneLabelText.offsetPrefix("(UTC) X")?.minutes == 0)
        #expect(ZoneLabelText.offsetPrefix("UTCX") == nil)
        #expect(ZoneLabelText.offsetPrefix("(UTC-05:00 X") == nil)
        #expect(ZoneLabelText.offsetPrefix("Eastern") == nil)
    }

    @Test func wordsIgnoreCaseAccentsPunctuationAndAmpersands() {
        #expect(ZoneLabelText.words("Eastern Time (US & Canada)") == ["eastern", "time", "us", "and", "canada"])
        #expect(ZoneLabelText.key("U.S. Mountain") == ZoneLabelText.key("US  mountain"))
        #expect(ZoneLabelText.key("UTC-11") != ZoneLabelText.key("UTC+11"))
        #expect(ZoneLabelText.key("São Tomé") == ZoneLabelText.key("Sao Tome"))
        #expect(ZoneLabelText.key("Petropavlovsk-Kamchatsky") == "petropavlovsk kamchatsky")
    }
}
