import Foundation
import LiftoffCore

/// A realistic, deterministic demo MSP that seeds the Autotask sandbox: "Keystone IT Partners", with
/// offices in New York, London and Pune, twelve technicians, fifteen small-business clients, a service
/// desk backlog and a week of Exchange-synced calendars.
///
/// Liftoff's planner is only convincing against data that looks like a real tenant: tickets of every age
/// and priority, Calendly and FindTime meetings, private items that Exchange hides as "Appointment",
/// TimeZest bookings, public holidays and time off in three time zones. Everything is derived from `now`
/// and a seed fixed per week — no wall clock, no system randomness — so a demo, a screenshot or a test
/// sees the same tenant whenever it asks for the same `now`.
///
/// ```swift
/// let tenant = DemoMSP.records(now: Date())
/// let tickets = tenant["Tickets"] ?? []
/// ```
public enum DemoMSP {
    /// Records per Autotask entity name ("Tickets", "Appointments", …) for the week containing `now`
    /// (Monday 00:00 UTC up to the next Monday). Same `now` and `technicianCount` → identical output.
    ///
    /// Appointments lie in that week; holidays, time off and TimeZest service calls in that week or the
    /// next; ticket ages count back from `now`. The random choices depend only on the week, so a sandbox
    /// restarted later in the same week shows the same tickets, only older.
    ///
    /// `technicianCount` sizes the team, for benchmarks: the default twelve is the tenant described above;
    /// a larger team adds generated technicians, and the open tickets, TimeZest bookings and time-off
    /// requests grow in proportion (250 open tickets per twelve technicians). A count outside
    /// ``technicianCounts`` is clamped to it.
    public static func records(now: Date, technicianCount: Int = 12) -> [String: [JSONObject]] {
        var tenant = Tenant(now: now, technicians: technicians(count: technicianCount))
        return tenant.build()
    }

    /// The team sizes ``records(now:technicianCount:)`` makes. At the top of the range every id range still
    /// stays clear of the next one: the last ticket id is below the first appointment id.
    public static let technicianCounts: ClosedRange<Int> = 1...200
}

// MARK: - Fixed ids and picklist values

extension DemoMSP {
    /// Ids in the ranges a real tenant hands out, so demo payloads look like production ones and the
    /// ranges of different entities never overlap by accident.
    fileprivate enum IDs {
        static let firstLocation: Int64 = 90_682
        static let firstHolidaySet: Int64 = 101
        static let firstHoliday: Int64 = 1_001
        static let firstCompany: Int64 = 174
        static let firstResource: Int64 = 29_682_885
        static let firstTicket: Int64 = 7_000
        static let firstServiceCall: Int64 = 3_000
        static let firstServiceCallTicket: Int64 = 3_500
        static let firstServiceCallTicketResource: Int64 = 3_700
        static let firstAppointment: Int64 = 12_000
        static let firstTimeOffRequest: Int64 = 600
        /// The "Service Desk Technician" role every technician works tickets under.
        static let serviceDeskRole: Int64 = 29_683_401
        static let serviceLevelAgreement: Int64 = 1
    }

    /// Ticket queues; the raw values are the tenant's picklist values.
    fileprivate enum Queue: Int64 {
        case serviceDesk = 29_683_354
        case monitoringAlerts = 29_683_355
        case projectsIntake = 29_683_356
    }

    /// Ticket statuses used by the demo (Autotask's default picklist values).
    fileprivate enum TicketStatus {
        static let new: Int64 = 1
        static let complete: Int64 = 5
        static let waitingCustomer: Int64 = 7
        static let inProgress: Int64 = 8
    }

    /// Default ticket priorities; values are not ranks (4 is the most urgent), which is exactly the trap
    /// the demo should exercise.
    fileprivate enum Priority {
        static let high: Int64 = 1
        static let medium: Int64 = 2
        static let low: Int64 = 3
        static let critical: Int64 = 4

        /// Resolution SLA: how long after creation a ticket of this priority is due.
        static func resolutionSeconds(_ priority: Int64) -> Int64 {
            switch priority {
            case critical: return 4 * 3_600
            case high: return 86_400
            case medium: return 3 * 86_400
            default: return 7 * 86_400
            }
        }
    }
}

extension DemoMSP {
    /// A due date as a real MSP's tickets carry them: the resolution SLA from creation, but an open
    /// ticket whose SLA has long passed has usually had its due date agreed anew with the customer
    /// (a part on order, a maintenance window), days ahead. About one in seventeen keeps its lapsed SLA:
    /// those are the fires. Drawn from the creation time, not the random stream, so the rest of the
    /// demo stays as it was.
    static func dueDate(created: Int64, priority: Int64, completed: Bool, now: Int64) -> Int64 {
        let sla = created + Priority.resolutionSeconds(priority)
        guard !completed, sla < now else { return sla }
        let spread = (created / 7) % 1_000
        guard spread >= 60 else { return sla }
        // Agreed for one to ten days ahead, at a whole hour.
        let days = 1 + (created / 11) % 10
        return (now + days * 86_400) / 3_600 * 3_600
    }
}

// MARK: - Deterministic randomness

extension DemoMSP {
    /// One independent stream per kind of record, so adding a ticket template does not reshuffle
    /// everybody's calendar.
    fileprivate enum Stream: UInt64 {
        case timeOff = 1, appointments, tickets, serviceCalls
    }
}

// MARK: - UTC calendar arithmetic

extension DemoMSP {
    /// Civil-date arithmetic on days since 1970-01-01 and the wire format, from LiftoffCore's
    /// `LocalDate` and `RFC3339` rather than `DateFormatter`, whose output depends on locale and
    /// calendar settings the sandbox does not control.
    fileprivate enum UTC {
        static let day: Int64 = 86_400

        static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
            let quotient = value / divisor
            return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
        }

        /// Days since 1970-01-01 of a proleptic Gregorian date.
        static func days(year: Int, month: Int, day: Int) -> Int64 {
            LocalDate(year: year, month: month, day: day).daysSinceEpoch
        }

        static func civil(_ days: Int64) -> (year: Int, month: Int, day: Int) {
            LocalDate(daysSinceEpoch: days).components
        }

        /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
        static func weekday(_ days: Int64) -> Int { Int(((days + 3) % 7 + 7) % 7) }

        /// `yyyy-MM-ddTHH:mm:ssZ`, the format Autotask returns and clients send.
        static func format(_ seconds: Int64) -> String {
            RFC3339.format(Instant(millisecondsSinceEpoch: seconds * 1_000))
        }

        /// `yyyyMMdd`, the date part of a ticket number.
        static func compactDate(_ seconds: Int64) -> String {
            let (year, month, dayOfMonth) = civil(floorDivide(seconds, day))
            return pad(year, 4) + pad(month, 2) + pad(dayOfMonth, 2)
        }

        static func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }

    /// A busy interval in UTC seconds, half-open.
    fileprivate struct Span {
        let start: Int64
        let end: Int64

        func overlaps(_ other: Span) -> Bool { start < other.end && other.start < end }
    }
}

// MARK: - Offices, holidays, people and clients

extension DemoMSP {
    fileprivate enum Country {
        case unitedStates, unitedKingdom, india
    }

    /// An internal location. Business hours are 08:00–17:00 local, Monday to Friday, everywhere.
    fileprivate struct Office {
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

    fileprivate static let offices: [Office] = [
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

    fileprivate static let businessDayStartMinute = 8 * 60
    fileprivate static let businessDayEndMinute = 17 * 60

    /// Public holidays computed from the rules, not a table, so any year works. Lunar-calendar
    /// festivals (Holi, Diwali, Eid) are left out of India's set: they need astronomical tables.
    fileprivate enum PublicHolidays {
        static func dates(_ country: Country, year: Int) -> [(day: Int64, name: String)] {
            switch country {
            case .unitedStates: return unitedStates(year)
            case .unitedKingdom: return unitedKingdom(year)
            case .india: return india(year)
            }
        }

        /// Federal observance: a Saturday holiday is taken on Friday, a Sunday one on Monday.
        private static func observedUS(_ day: Int64, _ name: String) -> (day: Int64, name: String) {
            switch UTC.weekday(day) {
            case 5: return (day - 1, name + " (observed)")
            case 6: return (day + 1, name + " (observed)")
            default: return (day, name)
            }
        }

        private static func unitedStates(_ year: Int) -> [(day: Int64, name: String)] {
            let thanksgiving = nthWeekday(year: year, month: 11, weekday: 3, n: 4)
            return [
                observedUS(UTC.days(year: year, month: 1, day: 1), "New Year's Day"),
                (nthWeekday(year: year, month: 1, weekday: 0, n: 3), "Martin Luther King Jr. Day"),
                (nthWeekday(year: year, month: 2, weekday: 0, n: 3), "Presidents' Day"),
                (lastWeekday(year: year, month: 5, weekday: 0), "Memorial Day"),
                observedUS(UTC.days(year: year, month: 6, day: 19), "Juneteenth"),
                observedUS(UTC.days(year: year, month: 7, day: 4), "Independence Day"),
                (nthWeekday(year: year, month: 9, weekday: 0, n: 1), "Labor Day"),
                (thanksgiving, "Thanksgiving Day"),
                (thanksgiving + 1, "Day after Thanksgiving"),
                observedUS(UTC.days(year: year, month: 12, day: 25), "Christmas Day"),
            ]
        }

        /// England and Wales, with the substitute-day rules for New Year and Christmas.
        private static func unitedKingdom(_ year: Int) -> [(day: Int64, name: String)] {
            let easter = easterSunday(year)
            let newYear = UTC.days(year: year, month: 1, day: 1)
            let christmas = UTC.days(year: year, month: 12, day: 25)
            let boxingDay = christmas + 1
            func substitute(_ day: Int64, _ name: String, weekendShift: Int64) -> (day: Int64, name: String) {
                UTC.weekday(day) >= 5 ? (day + weekendShift, name + " (substitute day)") : (day, name)
            }
            return [
                substitute(newYear, "New Year's Day", weekendShift: UTC.weekday(newYear) == 5 ? 2 : 1),
                (easter - 2, "Good Friday"),
                (easter + 1, "Easter Monday"),
                (nthWeekday(year: year, month: 5, weekday: 0, n: 1), "Early May bank holiday"),
                (lastWeekday(year: year, month: 5, weekday: 0), "Spring bank holiday"),
                (lastWeekday(year: year, month: 8, weekday: 0), "Summer bank holiday"),
                // A weekend Christmas moves to the 27th; a weekend Boxing Day to the 28th.
                UTC.weekday(christmas) >= 5
                    ? (christmas + 2, "Christmas Day (substitute day)") : (christmas, "Christmas Day"),
                UTC.weekday(boxingDay) >= 5
                    ? (christmas + 3, "Boxing Day (substitute day)") : (boxingDay, "Boxing Day"),
            ]
        }

        /// Indian holidays are not moved when they fall on a weekend.
        private static func india(_ year: Int) -> [(day: Int64, name: String)] {
            [
                (UTC.days(year: year, month: 1, day: 1), "New Year's Day"),
                (UTC.days(year: year, month: 1, day: 26), "Republic Day"),
                (easterSunday(year) - 2, "Good Friday"),
                (UTC.days(year: year, month: 5, day: 1), "Maharashtra Day"),
                (UTC.days(year: year, month: 8, day: 15), "Independence Day"),
                (UTC.days(year: year, month: 10, day: 2), "Gandhi Jayanti"),
                (UTC.days(year: year, month: 12, day: 25), "Christmas Day"),
            ]
        }

        /// The `n`th given weekday (0 = Monday) of a month.
        private static func nthWeekday(year: Int, month: Int, weekday: Int, n: Int) -> Int64 {
            let first = UTC.days(year: year, month: month, day: 1)
            return first + Int64((weekday - UTC.weekday(first) + 7) % 7 + 7 * (n - 1))
        }

        private static func lastWeekday(year: Int, month: Int, weekday: Int) -> Int64 {
            let nextMonth =
                month == 12
                ? UTC.days(year: year + 1, month: 1, day: 1) : UTC.days(year: year, month: month + 1, day: 1)
            let last = nextMonth - 1
            return last - Int64((UTC.weekday(last) - weekday + 7) % 7)
        }

        /// Gregorian Easter Sunday (the anonymous "Meeus/Jones/Butcher" algorithm).
        private static func easterSunday(_ year: Int) -> Int64 {
            let a = year % 19, b = year / 100, c = year % 100
            let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
            let h = (19 * a + b - d - g + 15) % 30
            let i = c / 4, k = c % 4
            let l = (32 + 2 * e + 2 * i - h - k) % 7
            let m = (a + 11 * h + 22 * l) / 451
            let month = (h + l - 7 * m + 114) / 31
            let day = (h + l - 7 * m + 114) % 31 + 1
            return UTC.days(year: year, month: month, day: day)
        }
    }

    fileprivate struct Staff {
        let firstName: String
        let lastName: String
        let office: Int
        let title: String

        var userName: String { (firstName.prefix(1) + lastName).lowercased().filter { $0.isLetter } }
        var email: String {
            "\(firstName.lowercased()).\(lastName.lowercased().filter { $0.isLetter })@keystone-it.example"
        }
    }

    /// The base team of active technicians: five in New York, four in London, three in Pune. The first
    /// of each office is its team lead and approves its time off.
    fileprivate static let baseTechnicians: [Staff] = [
        Staff(firstName: "Maria", lastName: "Gonzalez", office: 0, title: "Service Desk Manager"),
        Staff(firstName: "David", lastName: "Kim", office: 0, title: "Senior Systems Engineer"),
        Staff(firstName: "Aisha", lastName: "Johnson", office: 0, title: "Service Desk Technician"),
        Staff(firstName: "Tom", lastName: "Becker", office: 0, title: "Field Technician"),
        Staff(firstName: "Rachel", lastName: "Goldberg", office: 0, title: "Service Desk Technician"),
        Staff(firstName: "Oliver", lastName: "Hughes", office: 1, title: "Service Desk Team Lead"),
        Staff(firstName: "Priya", lastName: "Shah", office: 1, title: "Systems Engineer"),
        Staff(firstName: "Callum", lastName: "McGregor", office: 1, title: "Service Desk Technician"),
        Staff(firstName: "Sophie", lastName: "Turner", office: 1, title: "Field Technician"),
        Staff(firstName: "Aditya", lastName: "Kulkarni", office: 2, title: "NOC Team Lead"),
        Staff(firstName: "Sneha", lastName: "Deshpande", office: 2, title: "NOC Engineer"),
        Staff(firstName: "Rohan", lastName: "Joshi", office: 2, title: "NOC Engineer"),
    ]

    /// The office of each seat in a team, repeating every twelve seats: the base team's 5 : 4 : 3 split,
    /// interleaved so that a small team still staffs every office and a large one keeps the proportion.
    fileprivate static let officeOfSeat = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 0]

    /// Names of generated technicians: extra technician `k` is `extraFirstNames[k % 16]`
    /// `extraLastNames[k % 13]`. 16 and 13 are coprime, so the first 16 × 13 = 208 pairs all differ (the
    /// Chinese remainder theorem), enough for the 188 extras of the largest team. The initials differ
    /// and no last name is the base team's, so user names and email addresses are unique as well.
    fileprivate static let extraFirstNames = [
        "Ana", "Ben", "Chiara", "Dev", "Elif", "Femi", "Gabriel", "Hamza", "Ines", "Jonas", "Kavya", "Leah",
        "Mei", "Nikhil", "Olga", "Pablo",
    ]
    fileprivate static let extraLastNames = [
        "Andersen", "Brennan", "Castillo", "Dubois", "Fischer", "Haddad", "Lindqvist", "Mensah", "Nakamura",
        "Petrov", "Quinn", "Rao", "Sato",
    ]

    /// Titles of generated technicians per office, taken in turn: the base team's, without the leads'.
    fileprivate static let extraTitles = [
        ["Service Desk Technician", "Systems Engineer", "Field Technician", "Senior Systems Engineer"],
        ["Service Desk Technician", "Systems Engineer", "Field Technician"],
        ["NOC Engineer"],
    ]

    /// A team of `count` technicians (clamped to ``technicianCounts``) in resource-id order, derived from
    /// the count alone. Up to twelve it is the part of the base team that fills the first `count` seats
    /// of ``officeOfSeat``, each office's people in order (so its lead first); larger teams are the whole
    /// base team followed by generated technicians.
    fileprivate static func technicians(count: Int) -> [Staff] {
        let seats = 0..<min(max(count, technicianCounts.lowerBound), technicianCounts.upperBound)
        var openSeats = offices.map { _ in 0 }
        for seat in seats.prefix(baseTechnicians.count) { openSeats[officeOfSeat[seat]] += 1 }
        var team = baseTechnicians.filter { staff in
            openSeats[staff.office] -= 1
            return openSeats[staff.office] >= 0
        }
        var extrasPerOffice = offices.map { _ in 0 }
        for (extra, seat) in seats.dropFirst(baseTechnicians.count).enumerated() {
            let office = officeOfSeat[seat % officeOfSeat.count]
            let titles = extraTitles[office]
            team.append(
                Staff(
                    firstName: extraFirstNames[extra % extraFirstNames.count],
                    lastName: extraLastNames[extra % extraLastNames.count], office: office,
                    title: titles[extrasPerOffice[office] % titles.count]))
            extrasPerOffice[office] += 1
        }
        return team
    }

    /// Kept as a resource because old tickets and reports still point at people who left.
    fileprivate static let formerEmployee = Staff(
        firstName: "Brian", lastName: "O'Connell", office: 0, title: "Service Desk Technician")

    /// A client company and the details ticket and meeting texts borrow from it.
    fileprivate struct Client {
        let name: String
        let city: String
        let phone: String
        /// The office whose technicians normally serve it.
        let office: Int
        /// Relative ticket volume.
        let weight: Int
        let contacts: [String]
        let servers: [String]
        let app: String
        let rooms: [String]
    }

    /// Phone numbers are in ranges reserved for fiction (555-01xx, Ofcom's drama ranges).
    fileprivate static let clients: [Client] = [
        Client(
            name: "Riverside Family Dental", city: "New York", phone: "(212) 555-0142", office: 0, weight: 3,
            contacts: ["Dr. Laura Chen", "Megan Ortiz"], servers: ["DENTRIX01", "FS01"], app: "Dentrix",
            rooms: ["reception", "operatory 2", "the back office"]),
        Client(
            name: "Whitaker & Lowe LLP", city: "New York", phone: "(212) 555-0187", office: 0, weight: 4,
            contacts: ["James Whitaker", "Denise Park"], servers: ["FS01", "DMS01"], app: "iManage",
            rooms: ["reception", "the 14th floor", "conference room B"]),
        Client(
            name: "Harborline Logistics", city: "Newark", phone: "(973) 555-0119", office: 0, weight: 4,
            contacts: ["Frank Russo", "Tanya Williams"], servers: ["WMS01", "FS01"], app: "the WMS",
            rooms: ["dispatch", "the warehouse office", "reception"]),
        Client(
            name: "Greenleaf Veterinary Clinic", city: "Brooklyn", phone: "(718) 555-0163", office: 0, weight: 2,
            contacts: ["Dr. Samuel Reyes", "Kara Nguyen"], servers: ["PMS01"], app: "AVImark",
            rooms: ["reception", "exam room 1", "the pharmacy"]),
        Client(
            name: "Atlas Structural Engineers", city: "Jersey City", phone: "(201) 555-0128", office: 0, weight: 3,
            contacts: ["Peter Novak", "Hannah Brooks"], servers: ["CAD01", "FS01"], app: "AutoCAD",
            rooms: ["the drawing office", "reception", "the plotter room"]),
        Client(
            name: "Maple Street Accounting", city: "Hoboken", phone: "(201) 555-0174", office: 0, weight: 2,
            contacts: ["Linda Farrell", "Ravi Patel"], servers: ["FS01", "QB01"], app: "QuickBooks",
            rooms: ["reception", "the partners' office"]),
        Client(
            name: "Bluebird Montessori School", city: "Queens", phone: "(718) 555-0135", office: 0, weight: 2,
            contacts: ["Angela Rossi", "Derek Hall"], servers: ["FS01"], app: "Brightwheel",
            rooms: ["the main office", "classroom 3", "the staff room"]),
        Client(
            name: "Carver Property Management", city: "Stamford", phone: "(203) 555-0191", office: 0, weight: 2,
            contacts: ["Michael Carver", "Joy Edwards"], servers: ["FS01", "APP01"], app: "AppFolio",
            rooms: ["the leasing office", "reception"]),
        Client(
            name: "Thames Valley Physio", city: "Reading", phone: "0118 496 0231", office: 1, weight: 2,
            contacts: ["Emma Clarke", "Gareth Lloyd"], servers: ["FS01"], app: "Cliniko",
            rooms: ["reception", "treatment room 2"]),
        Client(
            name: "Kingsgate Architects", city: "London", phone: "020 7946 0412", office: 1, weight: 3,
            contacts: ["Harriet Cole", "Marcus Bell"], servers: ["FS01", "RENDER01"], app: "Revit",
            rooms: ["the studio", "reception", "the model shop"]),
        Client(
            name: "Pemberton Estate Agents", city: "Croydon", phone: "020 7946 0558", office: 1, weight: 2,
            contacts: ["Nick Pemberton", "Chloe Adams"], servers: ["FS01"], app: "Reapit",
            rooms: ["the front office", "reception"]),
        Client(
            name: "Northgate Freight Ltd", city: "Felixstowe", phone: "01632 960274", office: 1, weight: 3,
            contacts: ["Ian Walsh", "Rebecca Moore"], servers: ["FS01", "TMS01"], app: "the TMS",
            rooms: ["the transport office", "the gatehouse", "the warehouse office"]),
        Client(
            name: "Oakwood Medical Practice", city: "Guildford", phone: "01632 960815", office: 1, weight: 2,
            contacts: ["Dr. Fiona Grant", "Paula Evans"], servers: ["FS01"], app: "EMIS Web",
            rooms: ["reception", "consulting room 4", "the dispensary"]),
        Client(
            name: "Sahyadri Textiles", city: "Pune", phone: "+91 20 2555 0142", office: 2, weight: 2,
            contacts: ["Vikram Patil", "Anjali Kulkarni"], servers: ["ERP01", "FS01"], app: "Tally ERP",
            rooms: ["the design studio", "the factory office"]),
        Client(
            name: "Deccan Diagnostics", city: "Pune", phone: "+91 20 2555 0178", office: 2, weight: 2,
            contacts: ["Dr. Meera Iyer", "Sanjay Pawar"], servers: ["LIS01", "FS01"], app: "the LIS",
            rooms: ["the sample collection desk", "reception"]),
    ]

    /// Client staff who appear in tickets as new starters, leavers and people needing access.
    fileprivate static let clientFirstNames = [
        "Jordan", "Emily", "Carlos", "Hannah", "Noah", "Fatima", "Liam", "Grace", "Mateo", "Zoe", "Arjun",
        "Chloe", "Ethan", "Sofia", "Daniel", "Isla",
    ]
    fileprivate static let clientLastNames = [
        "Reed", "Alvarez", "Morgan", "Singh", "Baker", "Cohen", "Fraser", "Mehta", "Walker", "Lopez", "Hart",
        "Okafor",
    ]
}

// MARK: - Ticket and meeting texts

extension DemoMSP {
    /// A ticket title and description with placeholders: `{company}`, `{contact}`, `{person}`,
    /// `{server}`, `{app}`, `{room}`, `{city}`.
    fileprivate struct TicketTemplate {
        let title: String
        let description: String
        let queue: Queue
    }

    fileprivate static let ticketTemplates: [TicketTemplate] = [
        TicketTemplate(
            title: "Outlook keeps asking for password",
            description:
                "{contact} gets an Outlook password prompt every few minutes since this morning. Webmail works.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Replace failing RAID disk on {server}",
            description:
                "RAID controller on {server} predicts failure of disk 3. Drive ordered; needs a maintenance window.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "New starter laptop for {person}",
            description:
                "{contact} asks for a laptop, Microsoft 365 and {app} access for {person}, who starts on Monday.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Printer offline in {room}",
            description:
                "The printer in {room} shows as offline for everyone. {contact} has power-cycled it, no change.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "VPN drops every 10 minutes",
            description:
                "{contact} loses the VPN about every 10 minutes when working from home; reconnecting works.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Disk space low on {server} (C: 7% free)",
            description: "Monitoring alert: volume C: on {server} is below 10% free space.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Backup job failed: {server} nightly",
            description: "The nightly image backup of {server} failed with VSS error 0x8004230f.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "{app} running very slowly",
            description: "Several users at {company} say {app} takes over a minute to open records since yesterday.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Shared mailbox access for {person}",
            description:
                "Give {person} full access and send-as on the accounts@ shared mailbox. Approved by {contact}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "MFA reset for {contact}",
            description: "{contact} has a new phone and can no longer approve sign-in requests.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Wi-Fi keeps dropping in {room}",
            description: "Laptops in {room} lose Wi-Fi several times an hour; the rest of the office is fine.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Phishing email reported by {contact}",
            description:
                "{contact} forwarded a suspicious DocuSign email. Check who clicked it and purge it everywhere.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Offboard leaver: {person}",
            description:
                "{person} leaves on Friday. Disable the account, convert the mailbox to shared and collect the laptop.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Firewall firmware update at {city} office",
            description:
                "The FortiGate at the {city} office is two releases behind. Agree an out-of-hours slot with {contact}.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "{server} not responding to ping",
            description: "Monitoring alert: {server} has missed three consecutive heartbeats.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "High CPU on {server}",
            description: "Monitoring alert: CPU above 95% for 20 minutes on {server}.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Windows updates failing on the PC in {room}",
            description: "Cumulative update fails with 0x800f0922 and rolls back on every restart.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Teams calls drop audio",
            description: "{contact} says callers lose audio for a few seconds during most Teams calls.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Can't print to PDF from {app}",
            description: "Print to PDF from {app} produces an empty file for {contact}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Set up scan to email on the {room} copier",
            description: "{contact} would like the copier in {room} to scan straight to email.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "SSL certificate expiring on remote desktop gateway",
            description: "Monitoring alert: the certificate on the {company} RD gateway expires in 14 days.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Migrate file shares from {server} to SharePoint",
            description:
                "{contact} asks to move the shares on {server} to SharePoint and retire the mapped drives.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Password reset for {contact}",
            description: "{contact} is locked out after too many attempts.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Laptop stuck on BitLocker recovery screen",
            description: "{person}'s laptop asks for the BitLocker recovery key after a BIOS update.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Add {person} to {app}",
            description:
                "{contact} asks for a {app} account for {person} with the same rights as the rest of the team.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Replace UPS battery in server cupboard",
            description: "Monitoring alert: the UPS self-test failed; battery at end of life.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Emails to a supplier bouncing",
            description:
                "Mail to one supplier bounces with 550 5.7.1; the supplier says the SPF record is wrong.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "OneDrive not syncing for {contact}",
            description: "OneDrive shows \"processing changes\" for days on {contact}'s laptop.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Quote for five new monitors",
            description: "{contact} asks for a quote for five 27-inch monitors for {room}.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Antivirus detected threat on {person}'s PC",
            description:
                "Monitoring alert: Defender quarantined Trojan:Win32/Wacatac on {person}'s PC. Confirm it is clean.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Mapped drives missing after login",
            description: "The S: and P: drives do not appear for {contact} after signing in.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Screen in {room} won't connect",
            description: "The display in {room} does not pick up laptops over HDMI or the wireless dongle.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Set up a guest Wi-Fi network",
            description: "{contact} wants a separate guest Wi-Fi network isolated from the office LAN.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "{app} update needed before Friday",
            description:
                "The vendor requires the latest {app} before Friday's cut-off. Needs a short outage on {server}.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Mailbox full for {contact}",
            description: "{contact}'s mailbox is at its 50 GB limit and has stopped receiving mail.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Slow internet at {city} office",
            description: "Speed tests at the {city} office show 20 Mbps on a 500 Mbps line.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Domain controller replication errors on DC01",
            description: "Monitoring alert: DC01 at {company} reports replication error 1722 (RPC server unavailable).",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Desk phone has no dial tone",
            description: "The phone in {room} has no dial tone; other phones work.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Request admin rights to install software",
            description:
                "{person} needs software installed that asks for administrator rights. {contact} has approved it.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Calendar permissions for {person}",
            description: "Give {person} editor access to {contact}'s calendar.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Excel crashes when opening shared workbook",
            description: "Excel closes without a message when {contact} opens the shared budget workbook on {server}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Renew Microsoft 365 licences",
            description:
                "The Microsoft 365 subscription for {company} renews next month; confirm seats with {contact}.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Server room temperature alert",
            description: "Monitoring alert: the temperature sensor in the {company} server cupboard reads 31 °C.",
            queue: .monitoringAlerts),
        TicketTemplate(
            title: "Quarterly patching for {server}",
            description: "Apply this quarter's OS and firmware updates to {server} out of hours and reboot.",
            queue: .projectsIntake),
        TicketTemplate(
            title: "Remote access for {person}",
            description: "{person} will work from home two days a week; set up VPN and MFA. Approved by {contact}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Fax to email stopped working",
            description: "Faxes to the main number no longer arrive in the shared inbox at {company}.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Recover deleted folder from {server}",
            description: "{contact} deleted a client folder on {server} yesterday afternoon and needs it restored.",
            queue: .serviceDesk),
        TicketTemplate(
            title: "Second monitor flickering",
            description: "{person}'s second monitor flickers and goes black every few minutes.",
            queue: .serviceDesk),
    ]

    /// Topics of internal and client meetings scheduled through Microsoft FindTime.
    fileprivate static let findTimeTopics = [
        "Microsoft 365 licence review with {company}",
        "Backup restore test with {company}",
        "Firewall replacement planning",
        "Change advisory board",
        "Service desk retrospective",
        "Vendor call: backup renewal",
        "Security awareness training plan for {company}",
        "Network refresh scoping with {company}",
    ]
}

// MARK: - Generation

extension DemoMSP {
    /// A ticket before ids and numbers are handed out (they follow creation order).
    fileprivate struct TicketDraft {
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
    fileprivate struct Tenant {
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

        // MARK: Organisation

        func companyRecords() -> [JSONObject] {
            DemoMSP.clients.enumerated().map { index, client in
                [
                    "id": .integer(IDs.firstCompany + Int64(index)),
                    "companyName": .string(client.name),
                    "companyType": 1,
                    "isActive": true,
                    "phone": .string(client.phone),
                    "city": .string(client.city),
                    "userDefinedFields": [],
                ]
            }
        }

        func resourceRecords() -> [JSONObject] {
            var records = technicians.enumerated().map { index, staff in
                resource(id: resourceID(index), staff: staff, isActive: true, resourceType: "Employee")
            }
            let former = technicians.count
            records.append(
                resource(
                    id: resourceID(former), staff: DemoMSP.formerEmployee, isActive: false, resourceType: "Employee"))
            let apiUser = Staff(firstName: "Liftoff", lastName: "API", office: 0, title: "API user")
            var api = resource(id: resourceID(former + 1), staff: apiUser, isActive: true, resourceType: "API")
            // API-only users cannot be assigned tickets, so they have no service-desk role.
            api["defaultServiceDeskRoleID"] = JSONValue.null
            api["userName"] = "liftoff-api@keystone-it.example"
            records.append(api)
            return records
        }

        private func resource(id: Int64, staff: Staff, isActive: Bool, resourceType: String) -> JSONObject {
            [
                "id": .integer(id),
                "firstName": .string(staff.firstName),
                "lastName": .string(staff.lastName),
                "email": .string(staff.email),
                "emailTypeCode": "PRIMARY",
                "userName": .string(staff.userName),
                "title": .string(staff.title),
                "isActive": .bool(isActive),
                "locationID": .integer(locationID(staff.office)),
                "resourceType": .string(resourceType),
                "licenseType": 1,
                "defaultServiceDeskRoleID": .integer(IDs.serviceDeskRole),
                "userDefinedFields": [],
            ]
        }

        func internalLocationRecords() -> [JSONObject] {
            DemoMSP.offices.enumerated().map { index, office in
                [
                    "id": .integer(locationID(index)),
                    "name": .string(office.name),
                    "isDefault": .bool(index == 0),
                    "holidaySetId": .integer(holidaySetID(index)),
                    // Like Autotask, the Microsoft Time Zone Index value as text: "35" for Eastern.
                    "timeZone": .string(
                        AutotaskZoneResolver.microsoftIndex(windowsID: office.windowsZone).map {
                            String($0.value)
                        } ?? ""),
                    "userDefinedFields": [],
                ]
            }
        }

        /// Business hours are time-of-day values carried in date-times: the date part is the fixed
        /// 2000-01-01 and the time of day is the LOCAL business hour in the location's `timeZoneID`,
        /// written with a `Z` only because the wire format requires one. Autotask does not document
        /// which convention it uses, so the sandbox pins this one and Liftoff's reader follows it.
        func businessHoursRecords() -> [JSONObject] {
            let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
            let allDays = ["sunday"] + weekdays + ["saturday"]
            return DemoMSP.offices.enumerated().map { index, office in
                var record: JSONObject = [
                    "id": .integer(locationID(index)),
                    "name": .string(office.name),
                    "isDefault": .bool(index == 0),
                    "city": .string(office.city),
                    "holidaySetID": .integer(holidaySetID(index)),
                    "timeZoneID": .integer(office.timeZoneID),
                    "dateFormat": "MM/dd/yyyy",
                    "timeFormat": "hh:mm a",
                    "numberFormat": "X,XXX.XX",
                    "firstDayOfWeek": 1,
                    "holidayHoursType": 0,
                    "noHoursOnHolidays": true,
                ]
                for day in allDays {
                    let open = weekdays.contains(day)
                    record[day + "BusinessHoursStartTime"] = open ? "2000-01-01T08:00:00Z" : JSONValue.null
                    record[day + "BusinessHoursEndTime"] = open ? "2000-01-01T17:00:00Z" : JSONValue.null
                    record[day + "ExtendedHoursStartTime"] = JSONValue.null
                    record[day + "ExtendedHoursEndTime"] = JSONValue.null
                }
                record["holidayHoursStartTime"] = JSONValue.null
                record["holidayHoursEndTime"] = JSONValue.null
                record["holidayExtendedHoursStartTime"] = JSONValue.null
                record["holidayExtendedHoursEndTime"] = JSONValue.null
                record["userDefinedFields"] = []
                return record
            }
        }

        func holidaySetRecords() -> [JSONObject] {
            DemoMSP.offices.enumerated().map { index, office in
                [
                    "id": .integer(holidaySetID(index)),
                    "holidaySetName": .string(office.holidaySetName),
                    "holidaySetDescription": .string(office.holidaySetDescription),
                    "userDefinedFields": [],
                ]
            }
        }

        /// Public holidays of every year from the week's start to the year after `now`, plus a company
        /// offsite on this week's Friday in the US set, so the demo always shows a holiday in the week.
        mutating func holidayRecords() -> [JSONObject] {
            let firstYear = UTC.civil(weekStartDay).year
            let lastYear = UTC.civil(UTC.floorDivide(now, UTC.day)).year + 1
            var records: [JSONObject] = []
            func add(office: Int, day: Int64, name: String) {
                records.append([
                    "id": .integer(IDs.firstHoliday + Int64(records.count)),
                    "holidaySetID": .integer(holidaySetID(office)),
                    "holidayDate": .string(UTC.format(day * UTC.day)),
                    "holidayName": .string(name),
                    "userDefinedFields": [],
                ])
                holidayDays[office].insert(day)
            }
            for (index, office) in DemoMSP.offices.enumerated() {
                for year in firstYear...lastYear {
                    for holiday in PublicHolidays.dates(office.country, year: year) {
                        add(office: index, day: holiday.day, name: holiday.name)
                    }
                }
            }
            add(office: 0, day: weekStartDay + 4, name: "Company offsite")
            return records
        }

        // MARK: Calendars

        /// Approved time off blocks later calendar items (whole days, or the hours of a partial day); the
        /// pending requests do not. The base team has one request of each kind, a larger team cycles
        /// through the kinds, each request for a different technician.
        mutating func timeOffRequestRecords() -> [JSONObject] {
            var rng = random(.timeOff)
            let people = rng.shuffled(Array(technicians.indices))
            // (day offsets from this Monday to draw from, partial local minutes, reason, status)
            let kinds: [(days: ClosedRange<Int>, partial: (start: Int, end: Int)?, reason: String, status: Int64)] = [
                (0...4, nil, "Vacation", 2),
                (0...4, (14 * 60, 16 * 60), "Doctor's appointment", 2),
                (7...8, nil, "Vacation", 2),
                (10...11, nil, "Vacation", 2),
                (8...10, nil, "Vacation", 1),
            ]
            // Fewer plans than technicians (5 per 12), so each goes to a different person in `people`.
            let plans = (0..<scaled(kinds.count)).map { kinds[$0 % kinds.count] }.map { kind in
                (offset: Int64(rng.int(kind.days)), partial: kind.partial, reason: kind.reason, status: kind.status)
            }
            var records: [JSONObject] = []
            for (index, plan) in plans.enumerated() {
                let technician = people[index]
                let office = technicians[technician].office
                let week = plan.offset / 7
                let candidates = workdays(technician: technician, weeks: week..<(week + 1))
                guard
                    let day = candidates.min(by: {
                        abs($0 - weekStartDay - plan.offset) < abs($1 - weekStartDay - plan.offset)
                    })
                else { continue }
                let start = instant(office: office, day: day, minute: plan.partial?.start ?? businessDayStartMinute)
                let end = instant(office: office, day: day, minute: plan.partial?.end ?? businessDayEndMinute)
                // A full day is 9 business hours less an unpaid lunch hour.
                let hours = plan.partial == nil ? 8.0 : Double(end - start) / 3_600
                let created = now - Int64(rng.int(2 * 24...20 * 24)) * 3_600 - Int64(rng.int(0...59)) * 60
                let approved = plan.status == 2 ? min(now, created + Int64(rng.int(1...30)) * 3_600) : nil
                let approverIndex = technicians.indices.first {
                    technicians[$0].office == office && $0 != technician
                }
                let approver = approverIndex.map { resourceID($0) } ?? resourceID(technician)
                records.append([
                    "id": .integer(IDs.firstTimeOffRequest + Int64(records.count)),
                    "resourceID": .integer(resourceID(technician)),
                    "requestDate": .string(UTC.format(day * UTC.day)),
                    "startTime": .string(UTC.format(start)),
                    "endTime": .string(UTC.format(end)),
                    "hours": .number(hours),
                    "status": .integer(plan.status),
                    "timeOffRequestType": 1,
                    "reason": .string(plan.reason),
                    "rejectReason": nil,
                    "createDateTime": .string(UTC.format(created)),
                    "createdByResourceID": .integer(resourceID(technician)),
                    "approvedDateTime": Self.time(approved),
                    "approveRejectResourceID": approved == nil ? nil : .integer(approver),
                    "lastApprovedLevel": approved == nil ? nil : 1,
                    "lastModifiedDateTime": .string(UTC.format(approved ?? created)),
                    "lastModifiedByResourceID": .integer(approved == nil ? resourceID(technician) : approver),
                    "userDefinedFields": [],
                ])
                if plan.status == 2 {
                    if plan.partial == nil {
                        daysOff[technician, default: []].insert(day)
                    } else {
                        busy[technician, default: []].append(Span(start: start, end: end))
                    }
                }
            }
            return records
        }

        private enum Meeting {
            case calendly, findTime, personal, lunch
        }

        /// What Exchange hands Autotask for each technician's week: a daily stand-up, client calls booked
        /// through Calendly, meetings arranged with FindTime, private items (title "Appointment", no
        /// description) and the odd lunch.
        mutating func appointmentRecords() -> [JSONObject] {
            var rng = random(.appointments)
            var records: [JSONObject] = []
            for (technician, staff) in technicians.enumerated() {
                let office = staff.office
                let days = workdays(technician: technician, weeks: 0..<2)
                let regionalClients = DemoMSP.clients.filter { $0.office == office }
                var items: [(span: Span, title: String, description: String?, created: Int64, updated: Int64)] = []
                func take(_ span: Span, _ title: String, _ description: String?, rng: inout SplitMix64) {
                    let latest = min(span.start, now)
                    let created = latest - Int64(rng.int(1 * 60...21 * 24 * 60)) * 60
                    let updated = created + Int64(Double(latest - created) * rng.unit() * 0.5)
                    items.append((span, title, description, created, updated))
                    busy[technician, default: []].append(span)
                }

                // The recurring series was set up long before this week.
                let seriesCreated = weekStart - 97 * UTC.day + Int64(technician) * 600
                for day in days {
                    let start = instant(office: office, day: day, minute: DemoMSP.offices[office].standUpMinute)
                    let span = Span(start: start, end: start + 15 * 60)
                    guard !(busy[technician] ?? []).contains(where: { $0.overlaps(span) }) else { continue }
                    items.append(
                        (
                            span, "Team stand-up",
                            "Daily service desk stand-up on Teams: yesterday's tickets, today's plan, blockers.",
                            seriesCreated, seriesCreated
                        ))
                    busy[technician, default: []].append(span)
                }

                var meetings: [Meeting] = [.calendly, .findTime]
                if technician % 2 == 0 || rng.chance(0.4) { meetings.append(.personal) }
                for _ in 0..<rng.int(0...3) { meetings.append(rng.pick([.calendly, .findTime, .findTime, .personal])) }
                if rng.chance(0.3) { meetings.append(.lunch) }

                for meeting in meetings {
                    let client = rng.pick(regionalClients)
                    let contact = rng.pick(client.contacts)
                    switch meeting {
                    case .calendly:
                        let onboarding = rng.chance(0.5)
                        let minutes = onboarding ? rng.pick([30, 45, 60]) : rng.pick([30, 60])
                        guard let span = freeSlot(technician: technician, days: days, minutes: minutes, rng: &rng)
                        else { continue }
                        let title =
                            onboarding
                            ? "Calendly: \(client.name) onboarding call"
                            : "Calendly: Quarterly review with \(client.name)"
                        let description =
                            "Booked through Calendly by \(contact) (\(client.name)).\nEvent type: "
                            + (onboarding ? "Onboarding call" : "Quarterly business review")
                            + "\nLocation: Microsoft Teams meeting"
                        take(span, title, description, rng: &rng)
                    case .findTime:
                        let minutes = rng.pick([30, 60])
                        guard let span = freeSlot(technician: technician, days: days, minutes: minutes, rng: &rng)
                        else { continue }
                        let topic = rng.pick(DemoMSP.findTimeTopics).replacingOccurrences(
                            of: "{company}", with: client.name)
                        let attendees = [staff] + (colleague(of: technician, rng: &rng).map { [$0] } ?? [])
                        take(
                            span, "FindTime: \(topic)",
                            "Time picked with FindTime.\nAttendees: "
                                + attendees.map { "\($0.firstName) \($0.lastName)" }.joined(separator: ", "),
                            rng: &rng)
                    case .personal:
                        let minutes = rng.pick([30, 60, 90, 120])
                        guard let span = freeSlot(technician: technician, days: days, minutes: minutes, rng: &rng)
                        else { continue }
                        take(span, "Appointment", nil, rng: &rng)
                    case .lunch:
                        guard
                            let span = freeSlot(
                                technician: technician, days: days, minutes: 60, startMinutes: [12 * 60, 12 * 60 + 30],
                                rng: &rng)
                        else { continue }
                        take(span, "Lunch", nil, rng: &rng)
                    }
                }

                for item in items.sorted(by: { $0.span.start < $1.span.start }) {
                    records.append([
                        "id": .integer(IDs.firstAppointment + Int64(records.count)),
                        "resourceID": .integer(resourceID(technician)),
                        "startDateTime": .string(UTC.format(item.span.start)),
                        "endDateTime": .string(UTC.format(item.span.end)),
                        "title": .string(item.title),
                        "description": item.description.map { JSONValue.string($0) } ?? .null,
                        "createDateTime": .string(UTC.format(item.created)),
                        "creatorResourceID": .integer(resourceID(technician)),
                        "updateDateTime": .string(UTC.format(item.updated)),
                        "userDefinedFields": [],
                    ])
                }
            }
            return records
        }

        /// Someone to meet: a colleague from the same office, else anyone else, else nobody. Only teams
        /// of fewer than twelve can leave a technician alone in an office; the fallbacks keep them working.
        private func colleague(of technician: Int, rng: inout SplitMix64) -> Staff? {
            let others = technicians.indices.filter { $0 != technician }
            let sameOffice = others.filter { technicians[$0].office == technicians[technician].office }
            guard let pool = [sameOffice, others].first(where: { !$0.isEmpty }) else { return nil }
            return technicians[rng.pick(pool)]
        }

        // MARK: Tickets

        /// 250 for the base team of twelve.
        var openTicketCount: Int { scaled(250) }
        static let completedTicketCount = 30

        /// A technician for a client's ticket: normally from the client's office; the Pune NOC takes
        /// half the monitoring alerts and some overflow (follow-the-sun).
        private func assignee(for client: Client, queue: Queue, rng: inout SplitMix64) -> Int {
            let pune = 2
            let office: Int
            if client.office == pune {
                office = pune
            } else if queue == .monitoringAlerts {
                office = rng.chance(0.5) ? pune : client.office
            } else {
                office = rng.chance(0.12) ? pune : client.office
            }
            // Only teams of fewer than three can have an office without technicians; anyone takes those.
            let local = technicians.indices.filter { technicians[$0].office == office }
            return rng.pick(local.isEmpty ? Array(technicians.indices) : local)
        }

        mutating func ticketRecords() -> [JSONObject] {
            var rng = random(.tickets)
            let maxAge: Int64 = 60 * UTC.day
            var drafts: [TicketDraft] = []
            let clientWeights = DemoMSP.clients.enumerated().map { ($0.offset, $0.element.weight) }
            for index in 0..<(openTicketCount + Self.completedTicketCount) {
                let isCompleted = index >= openTicketCount
                let clientIndex = rng.weighted(clientWeights)
                let client = DemoMSP.clients[clientIndex]
                let template = rng.pick(DemoMSP.ticketTemplates)
                let contact = rng.pick(client.contacts)
                let person = rng.pick(DemoMSP.clientFirstNames) + " " + rng.pick(DemoMSP.clientLastNames)
                let server = rng.pick(client.servers)
                let room = rng.pick(client.rooms)
                func fill(_ text: String) -> String {
                    text.replacingOccurrences(of: "{company}", with: client.name)
                        .replacingOccurrences(of: "{contact}", with: contact)
                        .replacingOccurrences(of: "{person}", with: person)
                        .replacingOccurrences(of: "{server}", with: server)
                        .replacingOccurrences(of: "{app}", with: client.app)
                        .replacingOccurrences(of: "{room}", with: room)
                        .replacingOccurrences(of: "{city}", with: client.city)
                }
                let drawn = rng.weighted([
                    (Priority.critical, 5), (Priority.high, 20), (Priority.medium, 45), (Priority.low, 30),
                ])
                // Nobody raises a project request as Critical; it goes in as High instead.
                let priority = template.queue == .projectsIntake && drawn == Priority.critical ? Priority.high : drawn
                // Ages skew recent (most of a backlog is days old, a tail is weeks old), and people
                // rarely raise tickets at weekends, though monitoring never sleeps.
                let minAge: Int64 = isCompleted ? 4 * 3_600 : 3_600
                var created = now
                for _ in 0..<4 {
                    created = now - minAge - Int64(Double(maxAge - minAge) * pow(rng.unit(), 1.5))
                    if template.queue == .monitoringAlerts || UTC.weekday(UTC.floorDivide(created, UTC.day)) < 5 {
                        break
                    }
                }
                let technician: Int? =
                    !isCompleted && rng.chance(0.1) ? nil : assignee(for: client, queue: template.queue, rng: &rng)
                let status: Int64
                if isCompleted {
                    status = TicketStatus.complete
                } else if technician == nil {
                    status = TicketStatus.new
                } else {
                    status = rng.weighted([
                        (TicketStatus.new, 20), (TicketStatus.inProgress, 50), (TicketStatus.waitingCustomer, 30),
                    ])
                }
                let completed: Int64? =
                    isCompleted ? created + 1_800 + Int64(Double(now - created - 1_800) * pow(rng.unit(), 2)) : nil
                let lastActivity = completed ?? created + Int64(Double(now - created) * rng.unit())
                let due: Int64? =
                    rng.chance(0.08)
                    ? nil : DemoMSP.dueDate(created: created, priority: priority, completed: completed != nil, now: now)
                let hours =
                    template.queue == .projectsIntake
                    ? rng.pick([2.0, 3.0, 4.0, 6.0]) : rng.pick([0.25, 0.5, 0.5, 0.75, 1.0, 1.0, 1.5, 2.0, 3.0])
                drafts.append(
                    TicketDraft(
                        created: created, completed: completed, lastActivity: lastActivity, due: due,
                        client: clientIndex, contact: contact, title: fill(template.title),
                        description: fill(template.description), status: status, priority: priority,
                        queue: template.queue, technician: technician, estimatedHours: hours))
            }
            // Ids and ticket numbers follow creation order, as they do in a real tenant.
            ticketDrafts = drafts.enumerated()
                .sorted { ($0.element.created, $0.offset) < ($1.element.created, $1.offset) }
                .map(\.element)

            var records: [JSONObject] = []
            var sequence = 0
            var sequenceDay = ""
            for (index, draft) in ticketDrafts.enumerated() {
                let day = UTC.compactDate(draft.created)
                sequence = day == sequenceDay ? sequence + 1 : 1
                sequenceDay = day
                records.append([
                    "id": .integer(IDs.firstTicket + Int64(index)),
                    "ticketNumber": .string("T\(day).\(UTC.pad(sequence, 4))"),
                    "title": .string(draft.title),
                    "description": .string(draft.description),
                    "status": .integer(draft.status),
                    "priority": .integer(draft.priority),
                    "queueID": .integer(draft.queue.rawValue),
                    "companyID": .integer(IDs.firstCompany + Int64(draft.client)),
                    "assignedResourceID": Self.integer(draft.technician.map(resourceID)),
                    "assignedResourceRoleID": draft.technician == nil ? nil : .integer(IDs.serviceDeskRole),
                    "createDate": .string(UTC.format(draft.created)),
                    "lastActivityDate": .string(UTC.format(draft.lastActivity)),
                    "dueDateTime": Self.time(draft.due),
                    "estimatedHours": .number(draft.estimatedHours),
                    "completedDate": Self.time(draft.completed),
                    "serviceLevelAgreementID": .integer(IDs.serviceLevelAgreement),
                    "userDefinedFields": [],
                ])
            }
            return records
        }

        // MARK: TimeZest

        /// 8 for the base team of twelve.
        var timeZestBookings: Int { scaled(8) }

        /// TimeZest books a slot the client picked on an open service-desk ticket: a service call, its
        /// ServiceCallTicket and the ServiceCallTicketResource naming the ticket's technician. Slots lie
        /// at least an hour after `now`, this week or next, clear of everything already in the calendar.
        mutating func serviceCallRecords() -> (calls: [JSONObject], tickets: [JSONObject], resources: [JSONObject]) {
            var rng = random(.serviceCalls)
            let candidates = ticketDrafts.indices.filter { index in
                let draft = ticketDrafts[index]
                return draft.completed == nil && draft.technician != nil && draft.queue == .serviceDesk
                    && draft.status != TicketStatus.waitingCustomer
            }
            var calls: [JSONObject] = []
            var links: [JSONObject] = []
            var resources: [JSONObject] = []
            for ticketIndex in rng.shuffled(candidates) where calls.count < timeZestBookings {
                let draft = ticketDrafts[ticketIndex]
                guard let technician = draft.technician else { continue }
                let minutes = rng.chance(0.5) ? 30 : 60
                let days = workdays(technician: technician, weeks: 0..<2)
                guard
                    let span = freeSlot(
                        technician: technician, days: days, minutes: minutes, notBefore: now + 3_600, rng: &rng)
                else { continue }
                busy[technician, default: []].append(span)
                let booked = draft.created + Int64(Double(now - draft.created) * rng.unit())
                let callID = IDs.firstServiceCall + Int64(calls.count)
                let linkID = IDs.firstServiceCallTicket + Int64(links.count)
                calls.append([
                    "id": .integer(callID),
                    "companyID": .integer(IDs.firstCompany + Int64(draft.client)),
                    "companyLocationID": nil,
                    "description": .string("TimeZest: \(draft.title) — booked by \(draft.contact)"),
                    "startDateTime": .string(UTC.format(span.start)),
                    "endDateTime": .string(UTC.format(span.end)),
                    "duration": .number(Double(minutes) / 60),
                    "status": 1,
                    "isComplete": 0,
                    "createDateTime": .string(UTC.format(booked)),
                    "creatorResourceID": nil,
                    "lastModifiedDateTime": .string(UTC.format(booked)),
                    "canceledDateTime": nil,
                    "canceledByResourceID": nil,
                    "userDefinedFields": [],
                ])
                links.append([
                    "id": .integer(linkID),
                    "serviceCallID": .integer(callID),
                    "ticketID": .integer(IDs.firstTicket + Int64(ticketIndex)),
                    "userDefinedFields": [],
                ])
                resources.append([
                    "id": .integer(IDs.firstServiceCallTicketResource + Int64(resources.count)),
                    "serviceCallTicketID": .integer(linkID),
                    "resourceID": .integer(resourceID(technician)),
                    "userDefinedFields": [],
                ])
            }
            return (calls, links, resources)
        }
    }
}

extension SplitMix64 {
    /// Fisher–Yates, spelled out so the order never depends on the standard library's algorithm.
    fileprivate mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(index, int(0...index))
        }
        return result
    }
}
