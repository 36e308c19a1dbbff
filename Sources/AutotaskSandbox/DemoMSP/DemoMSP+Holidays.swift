extension DemoMSP {
    /// Public holidays computed from the rules, not a table, so any year works. Lunar-calendar
    /// festivals (Holi, Diwali, Eid) are left out of India's set: they need astronomical tables.
    enum PublicHolidays {
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
}
