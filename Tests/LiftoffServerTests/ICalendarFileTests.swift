import Foundation
import Testing

@testable import LiftoffServer

/// The booking's `.ics` (RFC 5545): local times with a VTIMEZONE made of the zone's real offset changes
/// around the event, escaped text, folded lines. (Two Python readers check whole files in the browser tests.)
struct ICalendarFileTests {
    static func file(zone: String, start: String) throws -> String {
        let date = try #require(ISO8601DateFormatter().date(from: start))
        return ICalendarFile(
            event: .init(
                uid: "booking-1@liftoff", sequence: 2, start: date, end: date.addingTimeInterval(1800),
                summary: "Remote session, with; Maria", description: "Line one\nLine two",
                location: "online (remote)", canceled: false),
            timeZone: try #require(TimeZone(identifier: zone)), stamp: date
        ).text
    }

    @Test(arguments: [
        // Zone, event (UTC), its local DTSTART, offsets the VTIMEZONE must carry.
        ("America/New_York", "2026-11-01T13:30:00Z", "20261101T083000", ["-0400", "-0500"]),
        ("Europe/London", "2026-03-29T09:00:00Z", "20260329T100000", ["+0000", "+0100"]),
        ("Australia/Lord_Howe", "2026-10-04T00:00:00Z", "20261004T110000", ["+1030", "+1100"]),
        ("Asia/Kathmandu", "2026-09-08T04:15:00Z", "20260908T100000", ["+0545"]),
        ("Asia/Kolkata", "2026-09-08T04:30:00Z", "20260908T100000", ["+0530"]),
    ])
    func localTimesAndTheZonesRealOffsets(_ zone: String, _ start: String, _ local: String, _ offsets: [String])
        throws
    {
        let text = try Self.file(zone: zone, start: start)
        #expect(text.contains("DTSTART;TZID=\(zone):\(local)\r\n"), "\(text)")
        #expect(text.contains("BEGIN:VTIMEZONE\r\nTZID:\(zone)\r\n"))
        for offset in offsets { #expect(text.contains("TZOFFSETTO:\(offset)"), "\(zone) \(offset)") }
        #expect(text.contains("SEQUENCE:2\r\n") && text.contains("UID:booking-1@liftoff\r\n"))
        #expect(text.contains(#"SUMMARY:Remote session\, with\; Maria"#))
        #expect(text.contains(#"DESCRIPTION:Line one\nLine two"#))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
    }

    @Test func longLinesAreFoldedBetweenCharacters() {
        let line = "DESCRIPTION:" + String(repeating: "Zürich ☕ ", count: 20)
        let folded = ICalendarFile.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf8.count <= 75 })
        #expect(
            parts.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
    }
}
