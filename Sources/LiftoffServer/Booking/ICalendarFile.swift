import Foundation

/// An RFC 5545 calendar file with one event: what the booking confirmation offers as `.ics`.
///
/// Times are local to the event's zone with a `VTIMEZONE` that lists the zone's real offset changes
/// for a year either side of the event (explicit observances, no recurrence rules), read from the
/// system's tz database — so Lord Howe's half-hour shift and zones that dropped DST come out right
/// where a hand-written rule would not. The UID is stable per booking and SEQUENCE counts its
/// changes, so a calendar that imported it updates the event instead of adding another.
struct ICalendarFile {
    struct Event {
        var uid: String
        var sequence: Int
        var start: Date
        var end: Date
        var summary: String
        var description: String
        var location: String
        var canceled: Bool
        var organizerName: String?
    }

    var event: Event
    var timeZone: TimeZone
    var stamp: Date

    var text: String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Liftoff//Fixed Appointment Scheduler//EN",
            "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        ]
        lines += timeZoneLines
        lines += [
            "BEGIN:VEVENT",
            "UID:\(event.uid)",
            "DTSTAMP:\(Self.utc(stamp))",
            "SEQUENCE:\(event.sequence)",
            "DTSTART;TZID=\(timeZone.identifier):\(local(event.start))",
            "DTEND;TZID=\(timeZone.identifier):\(local(event.end))",
            "SUMMARY:\(Self.escape(event.summary))",
            "DESCRIPTION:\(Self.escape(event.description))",
            "LOCATION:\(Self.escape(event.location))",
            "STATUS:\(event.canceled ? "CANCELLED" : "CONFIRMED")",
            "TRANSP:OPAQUE",
            "END:VEVENT", "END:VCALENDAR",
        ]
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// The zone's offset changes from a year before the event to a year after, each as a STANDARD or
    /// DAYLIGHT observance; a zone with none in that time gets one observance with its fixed offset.
    private var timeZoneLines: [String] {
        let from = event.start.addingTimeInterval(-366 * 86_400)
        let to = event.end.addingTimeInterval(366 * 86_400)
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(timeZone.identifier)"]
        let initial = timeZone.secondsFromGMT(for: from)
        lines += observance(
            daylight: timeZone.isDaylightSavingTime(for: from), startLocal: from, offsetFrom: initial,
            offsetTo: initial)
        var cursor = from
        while let change = timeZone.nextDaylightSavingTimeTransition(after: cursor), change < to {
            let before = timeZone.secondsFromGMT(for: change.addingTimeInterval(-1))
            let after = timeZone.secondsFromGMT(for: change)
            lines += observance(
                daylight: timeZone.isDaylightSavingTime(for: change), startLocal: change.addingTimeInterval(-1),
                offsetFrom: before, offsetTo: after, exact: change)
            cursor = change
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    /// DTSTART of an observance is the local time *before* the change (RFC 5545 §3.6.5).
    private func observance(
        daylight: Bool, startLocal: Date, offsetFrom: Int, offsetTo: Int, exact: Date? = nil
    ) -> [String] {
        let kind = daylight ? "DAYLIGHT" : "STANDARD"
        let instant = exact ?? startLocal
        let wall = instant.addingTimeInterval(Double(offsetFrom))
        return [
            "BEGIN:\(kind)", "DTSTART:\(Self.floating(wall))", "TZOFFSETFROM:\(Self.offset(offsetFrom))",
            "TZOFFSETTO:\(Self.offset(offsetTo))", "END:\(kind)",
        ]
    }

    private func local(_ date: Date) -> String {
        Self.floating(date.addingTimeInterval(Double(timeZone.secondsFromGMT(for: date))))
    }

    /// `20260908T100000`: the UTC fields of `date`, which the caller has shifted to wall-clock time.
    private static func floating(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
    }

    static func utc(_ date: Date) -> String { floating(date) + "Z" }

    /// `+0530`, `-0400`, `+1030`; seconds only when the zone has them.
    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        let text = String(format: "%@%02d%02d", sign, magnitude / 3600, magnitude % 3600 / 60)
        return magnitude % 60 == 0 ? text : text + String(format: "%02d", magnitude % 60)
    }

    /// TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\n")
    }

    /// Lines longer than 75 octets continue on the next line after a space, never inside a character.
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(character)
            count += size
        }
        return out
    }
}

extension ICalendarFile {
    /// The customer's `.ics` of a booking — the confirmation page's download and the e-mail's
    /// attachment are this one file, so both carry the same UID and SEQUENCE.
    static func booking(
        _ booking: BookingRecord, typeName: String, location: String, technicianName: String?,
        ticket: TicketRecord?, zone: TimeZone, stamp: Date, canceled: Bool? = nil
    ) -> ICalendarFile {
        ICalendarFile(
            event: .init(
                uid: "booking-\(booking.id?.uuidString.lowercased() ?? "")@liftoff", sequence: booking.sequence,
                start: booking.start, end: booking.end,
                summary: "\(typeName) with \(technicianName ?? "your technician")",
                description: "Ticket \(ticket?.number ?? String(booking.ticketID)): \(ticket?.title ?? "")"
                    + (booking.note.map { "\nYour note: \($0)" } ?? ""),
                location: location, canceled: canceled ?? (booking.state == "canceled")),
            timeZone: zone, stamp: stamp)
    }
}
