import Foundation
import Testing

@testable import LiftoffCore

/// `WallClockReader` must say exactly what a `DateFormatter` says, in every zone, across daylight-
/// saving changes and odd offsets, inside its window and outside it.
struct WallClockReaderTests {
    static let zones = [
        "America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe",
        "Pacific/Chatham", "UTC",
    ]

    @Test(arguments: zones)
    func readsLikeADateFormatter(_ zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE d MMM HH:mm"
        let from = Instant(millisecondsSinceEpoch: 1_772_323_200_000)  // 2026-03-01T00:00:00Z
        let to = from.adding(minutes: 300 * 1440)
        let reader = WallClockReader(timeZone: zone, from: from, to: to)
        var random = SystemRandomNumberGenerator()
        // Inside the window (both 2026 changes fall in it) and up to 60 days outside it.
        for _ in 0..<2_000 {
            let minutes = Int.random(in: -60 * 1440...360 * 1440, using: &random)
            let instant = from.adding(minutes: minutes)
            let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
            #expect(reader.dayAndClock(instant) == formatter.string(from: date), "\(instant) in \(zoneName)")
        }
    }

    @Test func lordHoweMovesHalfAnHour() throws {
        let zone = try #require(TimeZone(identifier: "Australia/Lord_Howe"))
        let from = try #require(RFC3339.parse("2026-04-01T00:00:00Z"))
        let reader = WallClockReader(timeZone: zone, from: from, to: from.adding(minutes: 14 * 1440))
        // 2026-04-05 02:00 local (+11:00) falls back to 01:30 (+10:30): 14:59Z reads 01:59, 15:00Z reads 01:30.
        #expect(reader.clock(try #require(RFC3339.parse("2026-04-04T14:59:00Z"))) == "01:59")
        #expect(reader.clock(try #require(RFC3339.parse("2026-04-04T15:00:00Z"))) == "01:30")
        #expect(reader.minuteOfDay(try #require(RFC3339.parse("2026-04-04T15:00:00Z"))) == 90)
    }

    @Test func kathmanduIsFiveFortyFiveAhead() throws {
        let zone = try #require(TimeZone(identifier: "Asia/Kathmandu"))
        let instant = try #require(RFC3339.parse("2026-11-30T03:15:00Z"))
        let reader = WallClockReader(timeZone: zone, from: instant, to: instant.adding(minutes: 60))
        #expect(reader.dayAndClock(instant) == "Mon 30 Nov 09:00")
        #expect(reader.date(instant) == LocalDate(year: 2026, month: 11, day: 30))
    }
}
