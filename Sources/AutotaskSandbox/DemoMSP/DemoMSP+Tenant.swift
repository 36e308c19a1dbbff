import Foundation
import LiftoffCore

extension DemoMSP {
    /// A ticket before ids and numbers are handed out (they follow creation order).
    struct TicketDraft {
        let created: Int64
        let completed: Int64?
        let lastActivity: Int64
        let due: Int64?
        let client: Int
        let contact: String
        let title: String
        let description: String
        let status: Int64
        let priority: Int64
        let queue: Queue
        /// Index into the tenant's `technicians`, or nil when unassigned.
        let technician: Int?
        let estimatedHours: Double
    }

    /// The tenant under construction: fixed inputs plus the calendar state that later records must
    /// respect (holidays, approved time off, meetings already placed).
    struct Tenant {
        let now: Int64
        let weekStartDay: Int64
        let seed: UInt64
        let calendars: [Calendar]
        /// The team, in resource-id order. An instance value rather than the static base team, so that one
        /// tenant builds every team size ``DemoMSP/records(now:technicianCount:)`` asks for.
        let technicians: [Staff]
        /// Holiday days (days since 1970) per office.
        var holidayDays: [Set<Int64>]
        /// Approved whole days off per technician index.
        var daysOff: [Int: Set<Int64>] = [:]
        /// Time already taken per technician index, in UTC.
        var busy: [Int: [Span]] = [:]
        var ticketDrafts: [TicketDraft] = []

        init(now date: Date, technicians: [Staff]) {
            self.technicians = technicians
            now = Int64(date.timeIntervalSince1970.rounded(.down))
            let today = UTC.floorDivide(now, UTC.day)
            weekStartDay = today - Int64(UTC.weekday(today))
            seed = 0x4B45_5953_544F_4E45 ^ (UInt64(bitPattern: weekStartDay) &* 0x9E37_79B9_7F4A_7C15)
            calendars = DemoMSP.offices.map { office in
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: office.zoneIdentifier) ?? .gmt
                return calendar
            }
            holidayDays = DemoMSP.offices.map { _ in [] }
        }

        var weekStart: Int64 { weekStartDay * UTC.day }

        mutating func build() -> [String: [JSONObject]] {
            let holidays = holidayRecords()
            let timeOff = timeOffRequestRecords()
            let appointments = appointmentRecords()
            let tickets = ticketRecords()
            let serviceCalls = serviceCallRecords()
            return [
                "Companies": companyRecords(),
                "Resources": resourceRecords(),
                "ResourceRoleQueues": resourceRoleQueueRecords(),
                "InternalLocations": internalLocationRecords(),
                "InternalLocationWithBusinessHours": businessHoursRecords(),
                "HolidaySets": holidaySetRecords(),
                "Holidays": holidays,
                "Tickets": tickets,
                "ServiceCalls": serviceCalls.calls,
                "ServiceCallTickets": serviceCalls.tickets,
                "ServiceCallTicketResources": serviceCalls.resources,
                "Appointments": appointments,
                "TimeOffRequests": timeOff,
            ]
        }

        // MARK: Helpers

        func random(_ stream: Stream) -> SplitMix64 {
            SplitMix64(seed: seed &+ stream.rawValue &* 0xD1B5_4A32_D192_ED03)
        }

        /// `perTwelve`, the amount for the base team of twelve, scaled to this team and rounded half up:
        /// the backlog, bookings and time off grow with the team, so a big tenant is as busy per head.
        func scaled(_ perTwelve: Int) -> Int { (perTwelve * technicians.count + 6) / 12 }

        func resourceID(_ technician: Int) -> Int64 { IDs.firstResource + Int64(technician) }
        func locationID(_ office: Int) -> Int64 { IDs.firstLocation + Int64(office) }
        func holidaySetID(_ office: Int) -> Int64 { IDs.firstHolidaySet + Int64(office) }

        /// UTC seconds of a local wall-clock time in an office's zone. Calendar does the DST work; the
        /// offset fallback only matters if the platform lacked the zone.
        func instant(office: Int, day: Int64, minute: Int) -> Int64 {
            let (year, month, dayOfMonth) = UTC.civil(day)
            let components = DateComponents(
                year: year, month: month, day: dayOfMonth, hour: minute / 60, minute: minute % 60)
            if let date = calendars[office].date(from: components) {
                return Int64(date.timeIntervalSince1970.rounded())
            }
            let wallClock = day * UTC.day + Int64(minute) * 60
            let offset = calendars[office].timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wallClock)))
            return wallClock - Int64(offset)
        }

        /// The Monday–Friday dates of `weeks` (0 = this week) on which the technician works: no holiday
        /// at their office and no approved day off. Local and UTC dates coincide here because every
        /// office's Monday–Friday business hours fall inside the UTC Monday–Sunday week.
        func workdays(technician: Int, weeks: Range<Int64>) -> [Int64] {
            let office = technicians[technician].office
            return weeks.flatMap { week in
                (0..<5).map { weekStartDay + week * 7 + $0 }
            }.filter { !holidayDays[office].contains($0) && !(daysOff[technician]?.contains($0) ?? false) }
        }

        /// A random free start on a half-hour boundary inside business hours, or nil when the days are
        /// full. Enumerating every candidate (rather than retrying random guesses) keeps it exact.
        func freeSlot(
            technician: Int, days: [Int64], minutes: Int, startMinutes: [Int]? = nil, notBefore: Int64 = .min,
            rng: inout SplitMix64
        ) -> Span? {
            let office = technicians[technician].office
            let starts =
                startMinutes
                ?? Array(stride(from: businessDayStartMinute, through: businessDayEndMinute - minutes, by: 30))
            var candidates: [Span] = []
            for day in days {
                for startMinute in starts {
                    let start = instant(office: office, day: day, minute: startMinute)
                    let span = Span(start: start, end: start + Int64(minutes) * 60)
                    if start >= notBefore && !(busy[technician] ?? []).contains(where: { $0.overlaps(span) }) {
                        candidates.append(span)
                    }
                }
            }
            return candidates.isEmpty ? nil : rng.pick(candidates)
        }

        static func time(_ seconds: Int64?) -> JSONValue { seconds.map { .string(UTC.format($0)) } ?? .null }
        static func integer(_ value: Int64?) -> JSONValue { value.map { .integer($0) } ?? .null }
    }
}
