import Foundation
import Testing

@testable import LiftoffCore

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-03-06T14:00:00Z", Int64(1_772_805_600_000)),
        ("2026-03-06T09:00:00-05:00", 1_772_805_600_000),
        ("2026-03-06T19:45:00+05:45", 1_772_805_600_000),
        ("2026-03-06t14:00:00z", 1_772_805_600_000),
        ("2026-03-06T14:00:00.123Z", 1_772_805_600_123),
        ("2026-03-06T14:00:00.1Z", 1_772_805_600_100),
        ("2026-03-06T14:00:00.123456789Z", 1_772_805_600_123),
        ("1969-12-31T23:59:59Z", -1_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        // A leap second is the last millisecond of its minute.
        ("2026-06-30T23:59:60Z", 1_782_863_999_999),
    ])
    func parsesInstantsWithAZoneDesignator(text: String, milliseconds: Int64) {
        #expect(RFC3339.parse(text) == Instant(millisecondsSinceEpoch: milliseconds))
    }

    @Test(arguments: [
        "", "2026-03-06T14:00:00", "2026-03-06 14:00:00Z", "2026-03-06T14:00Z", "2026-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-03-06T24:00:00Z", "2026-03-06T14:00:00+5:00", "2026-03-06T14:00:00.Z",
        "2026-03-06T14:00:00Z ", "26-03-06T14:00:00Z", "2026-03-06T14:00:00+24:00",
    ])
    func refusesAnythingElse(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    /// Autotask's form: a missing zone means UTC; everything else as strict as ``RFC3339/parse(_:)``.
    @Test(arguments: [
        ("2026-03-06T14:00:00", Int64(1_772_805_600_000)), ("2026-03-06T14:00:00.25", 1_772_805_600_250),
        ("2026-03-06T14:00:00Z", 1_772_805_600_000), ("2026-03-06T09:00:00-05:00", 1_772_805_600_000),
    ])
    func autotaskDateTimesWithoutAZoneAreUTC(_ text: String, _ milliseconds: Int64) {
        #expect(RFC3339.parseAutotask(text) == Instant(millisecondsSinceEpoch: milliseconds))
        #expect(text.hasSuffix("Z") || text.contains("-05:00") || RFC3339.parse(text) == nil)
    }

    @Test(arguments: [
        "2026-02-31T10:00:00", "2026-02-29T10:00:00Z", "2026-09-08T25:00:00", "2026-13-01T00:00:00",
        "2026-09-08T10:60:00", "2026-09-08 10:00:00", "2026-09-08T10:00:00+5:30", "99999-01-01T00:00:00",
    ])
    func autotaskDateTimesThatDoNotExistAreRefused(_ text: String) {
        #expect(RFC3339.parseAutotask(text) == nil)
    }

    @Test func formatsInUTCWithMillisecondsOnlyWhenPresent() {
        #expect(RFC3339.format(Instant(millisecondsSinceEpoch: 1_772_805_600_000)) == "2026-03-06T14:00:00Z")
        #expect(RFC3339.format(Instant(millisecondsSinceEpoch: 1_772_805_600_007)) == "2026-03-06T14:00:00.007Z")
        #expect(RFC3339.format(Instant(millisecondsSinceEpoch: -1)) == "1969-12-31T23:59:59.999Z")
    }

    @Test func localDatesKnowTheirWeekday() {
        #expect(LocalDate("2026-03-06")?.weekday == .fri)
        #expect(LocalDate("2026-03-09")?.weekday == .mon)
        #expect(LocalDate("1969-12-28")?.weekday == .sun)
        #expect(LocalDate("2026-02-30") == nil)
        #expect(LocalDate("2026-3-6") == nil)
    }

    @Test func wallClockTimesRunFromMidnightToTwentyFour() {
        #expect(WallClockTime("24:00")?.minutesSinceMidnight == 1440)
        #expect(WallClockTime("08:30")?.minutesSinceMidnight == 510)
        #expect(WallClockTime("24:01") == nil)
        #expect(WallClockTime("8:30") == nil)
        #expect(WallClockTime("12:60") == nil)
    }
}

/// Wall-clock rules become instants by the rules of docs/scheduling.md.
@Suite struct ZoneTimelineTests {
    static func timeline(_ zone: String) -> ZoneTimeline {
        ZoneTimeline(
            timeZone: Fixture.zone(zone), from: Fixture.instant("2026-01-01T00:00:00Z"),
            to: Fixture.instant("2026-12-31T00:00:00Z"))
    }

    static func local(_ text: String) -> Int64 {
        // A local wall-clock time written as if it were UTC.
        Fixture.instant(text + "Z").millisecondsSinceEpoch
    }

    @Test(arguments: [
        // A skipped time becomes the instant of the change.
        ("America/New_York", "2026-03-08T02:30:00", "2026-03-08T07:00:00Z"),
        ("America/New_York", "2026-03-08T03:00:00", "2026-03-08T07:00:00Z"),
        ("America/New_York", "2026-03-08T01:59:00", "2026-03-08T06:59:00Z"),
        // A repeated time means its first occurrence.
        ("America/New_York", "2026-11-01T01:30:00", "2026-11-01T05:30:00Z"),
        ("America/New_York", "2026-11-01T02:00:00", "2026-11-01T07:00:00Z"),
        ("Europe/London", "2026-03-29T01:30:00", "2026-03-29T01:00:00Z"),
        ("Europe/London", "2026-10-25T01:30:00", "2026-10-25T00:30:00Z"),
        // Lord Howe moves by 30 minutes: 02:00 → 02:30 in October, 02:00 → 01:30 in April.
        ("Australia/Lord_Howe", "2026-10-04T02:15:00", "2026-10-03T15:30:00Z"),
        ("Australia/Lord_Howe", "2026-04-05T01:45:00", "2026-04-04T14:45:00Z"),
        ("Asia/Kolkata", "2026-03-06T09:00:00", "2026-03-06T03:30:00Z"),
        ("Asia/Kathmandu", "2026-03-06T09:00:00", "2026-03-06T03:15:00Z"),
        ("Pacific/Chatham", "2026-09-27T03:00:00", "2026-09-26T14:00:00Z"),
    ])
    func wallClockTimesBecomeInstants(zone: String, local: String, expected: String) {
        let instant = Self.timeline(zone).instant(ofLocal: Self.local(local))
        #expect(Instant(millisecondsSinceEpoch: instant) == Fixture.instant(expected))
    }

    @Test(arguments: ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu"])
    func offsetsAgreeWithFoundationAllYear(zone: String) {
        let timeline = Self.timeline(zone)
        let timeZone = Fixture.zone(zone)
        var instant = Fixture.instant("2026-01-01T00:07:00Z").millisecondsSinceEpoch
        let end = Fixture.instant("2026-12-30T00:00:00Z").millisecondsSinceEpoch
        while instant < end {
            let foundation = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant) / 1000)))
            #expect(timeline.offset(at: instant) == foundation * 1000)
            instant += 37 * Milliseconds.perMinute
        }
    }

    @Test func alignmentFollowsTheLocalClockAcrossLordHowesHalfHourShift() {
        let timeline = Self.timeline("Australia/Lord_Howe")
        // Before 2026-10-04 02:00 local the offset is +10:30; after, +11:00. A local whole hour is
        // :30 UTC before and :00 UTC after.
        let before = Fixture.instant("2026-10-03T12:10:00Z").millisecondsSinceEpoch
        let after = Fixture.instant("2026-10-03T16:10:00Z").millisecondsSinceEpoch
        #expect(
            Instant(millisecondsSinceEpoch: timeline.alignUp(before, stepMinutes: 60))
                == Fixture.instant("2026-10-03T12:30:00Z"))
        #expect(
            Instant(millisecondsSinceEpoch: timeline.alignUp(after, stepMinutes: 60))
                == Fixture.instant("2026-10-03T17:00:00Z"))
    }
}
