import Foundation
import LiftoffCore
import Testing

@testable import AutotaskAPI
@testable import LiftoffServer

/// A day nobody can book says why — a holiday with its name, time off, no shifts — instead of looking
/// like missing data (issue 12: New York's holiday Friday was blank).
struct CalendarDayLabelTests {
    static let zone = TimeZone(identifier: "America/New_York")!
    static let nineToFive = [Shift(start: WallClockTime("09:00")!, end: WallClockTime("17:00")!)!]

    static func technician(exceptions: [LocalDate: [Shift]] = [:]) -> Technician {
        Technician(
            id: "1", timeZone: zone,
            workSchedule: WorkSchedule(
                weekly: [.mon: nineToFive, .tue: nineToFive, .wed: nineToFive, .thu: nineToFive, .fri: nineToFive],
                exceptions: exceptions))
    }

    static func record(holidays: [String: String] = [:]) -> PlanSnapshot.TechnicianRecordValue {
        .init(resourceID: 1, name: "Maria", timeZone: zone.identifier, holidayNames: holidays)
    }

    /// Local midnight to local midnight of `date` in New York.
    static func day(_ date: LocalDate) -> (Date, Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return CalendarView.rowRange(start: date, days: 1, in: calendar)!
    }

    static func busy(_ kind: String, _ start: String, _ end: String, _ title: String?) -> PlanSnapshot.BusyValue {
        .init(
            source: "x", kind: kind, start: RFC3339.parse(start)!.date, end: RFC3339.parse(end)!.date, title: title)
    }

    @Test func aHolidaySaysItsName() {
        let friday = LocalDate(year: 2026, month: 11, day: 27)
        let (from, to) = Self.day(friday)
        let label = CalendarView.dayOff(
            friday, technician: Self.technician(exceptions: [friday: []]),
            record: Self.record(holidays: ["2026-11-27": "Day after Thanksgiving"]), from: from, to: to, busy: [])
        #expect(label.off == "holiday")
        #expect(label.note == "Holiday: Day after Thanksgiving")
    }

    @Test func aDayWithoutShiftsSaysSo() {
        let saturday = LocalDate(year: 2026, month: 11, day: 28)
        let (from, to) = Self.day(saturday)
        let label = CalendarView.dayOff(
            saturday, technician: Self.technician(), record: Self.record(), from: from, to: to, busy: [])
        #expect(label.off == "no-shifts")
        #expect(label.note == "No shifts")
    }

    @Test func timeOffOverEveryShiftSaysSoWithItsTitle() {
        let monday = LocalDate(year: 2026, month: 11, day: 30)
        let (from, to) = Self.day(monday)
        // 09:00–17:00 New York is 14:00–22:00Z, covered by two requests that touch.
        let busy = [
            Self.busy("timeOff", "2026-11-30T13:00:00Z", "2026-11-30T18:00:00Z", "Vacation"),
            Self.busy("timeOff", "2026-11-30T18:00:00Z", "2026-11-30T23:00:00Z", "Vacation"),
        ]
        let label = CalendarView.dayOff(
            monday, technician: Self.technician(), record: Self.record(), from: from, to: to, busy: busy)
        #expect(label.off == "time-off")
        #expect(label.note == "Time off: Vacation")
    }

    @Test func timeOffForPartOfTheDayLeavesItAWorkingDay() {
        let monday = LocalDate(year: 2026, month: 11, day: 30)
        let (from, to) = Self.day(monday)
        let busy = [Self.busy("timeOff", "2026-11-30T13:00:00Z", "2026-11-30T18:00:00Z", "Dentist")]
        let label = CalendarView.dayOff(
            monday, technician: Self.technician(), record: Self.record(), from: from, to: to, busy: busy)
        #expect(label.off == nil && label.note == nil)
    }

    @Test func holidayNamesTravelWithTheStoredSchedule() {
        let names = HolidayNames.read(
            #"{"weekly": {}, "exceptions": [{"date": "2026-10-02", "shifts": [], "name": "Gandhi Jayanti"}, {"date": "2026-10-03", "shifts": []}, {"date": "2026-10-04", "shifts": [["10:00", "12:00"]], "name": "Half day"}]}"#
        )
        #expect(names == ["2026-10-02": "Gandhi Jayanti", "2026-10-03": "Holiday"])
        #expect(HolidayNames.read("not json").isEmpty)
        #expect(HolidayNames.read(nil).isEmpty)
    }

    @Test func theImportKeepsEachHolidaysNameAndJoinsTwoOnOneDate() throws {
        let location = InternalLocationWithBusinessHours(id: 1, name: "HQ")
        let schedule = AutotaskImporter.workSchedule(
            location,
            holidays: [
                (RFC3339.parse("2026-12-25T00:00:00Z")!.date, "Christmas Day"),
                (RFC3339.parse("2026-12-25T00:00:00Z")!.date, "Observed holiday"),
                (RFC3339.parse("2026-12-26T00:00:00Z")!.date, nil),
            ])
        #expect(
            HolidayNames.read(schedule) == ["2026-12-25": "Christmas Day / Observed holiday", "2026-12-26": "Holiday"])
    }

    /// The week view's day summary: booked and free time clipped to the day, at-risk activities counted once.
    @Test func aWeekDaySaysWhatItHoldsInWords() {
        let (from, to) = Self.day(LocalDate(year: 2026, month: 11, day: 30))
        func at(_ text: String) -> Date { RFC3339.parse(text)!.date }
        let booked: [(start: Date, end: Date, activityId: String, atRisk: Bool)] = [
            (at("2026-11-30T14:00:00Z"), at("2026-11-30T16:00:00Z"), "NA-1", true),
            (at("2026-11-30T16:00:00Z"), at("2026-11-30T17:30:00Z"), "NA-1", true),
            (at("2026-11-30T18:00:00Z"), at("2026-11-30T19:00:00Z"), "NA-2", false),
            // Crosses local midnight (05:00Z): only the hour before counts.
            (at("2026-12-01T04:00:00Z"), at("2026-12-01T06:00:00Z"), "NA-3", true),
        ]
        let free: [(start: Date, end: Date)] = [(at("2026-11-30T19:00:00Z"), at("2026-11-30T21:00:00Z"))]
        #expect(
            CalendarView.summary(from: from, to: to, booked: booked, free: free)
                == "5 h 30 min booked · 2 h free · 2 at risk")
        #expect(CalendarView.summary(from: from, to: to, booked: [], free: []) == "nothing booked · no free time")
    }
}
