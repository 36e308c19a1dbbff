import Foundation

extension FieldReader {
    /// Settings given at `context` (the site's or a technician's); `nil` when absent or wrong.
    mutating func settings(_ value: JSONValue?, at context: @autoclosure () -> String) -> SettingsOverrides? {
        guard let value else { return nil }
        guard case .object(let object) = value else {
            report(context(), "must be an object, got \(value.typeName)")
            return nil
        }
        var overrides = SettingsOverrides()
        if let alignment = integer(object, "alignmentMinutes", at: context(), required: false, minimum: 1, maximum: 60)
        {
            if Settings.allowedAlignments.contains(alignment) {
                overrides.alignmentMinutes = alignment
            } else {
                report(context(), "alignmentMinutes must be one of 1, 5, 10, 15, 20, 30, 60, got \(alignment)")
            }
        }
        overrides.minMinutesFreeBetweenActivities = integer(
            object, "minMinutesFreeBetweenActivities", at: context(), required: false, minimum: 0)
        overrides.maxBlockMinutes = integer(object, "maxBlockMinutes", at: context(), required: false, minimum: 1)
        overrides.horizonDays = integer(
            object, "horizonDays", at: context(), required: false, minimum: 1,
            maximum: PlanDocumentReader.maximumHorizonDays)
        overrides.blockOnFreeExternalAppointments = bool(object, "blockOnFreeExternalAppointments", at: context())
        overrides.reflowToleranceMinutes = integer(
            object, "reflowToleranceMinutes", at: context(), required: false, minimum: 0)
        switch object["bookingProfile"] {
        case nil: break
        case .null?: overrides.bookingProfile = .some(nil)
        case .object(let profile)?:
            func profileContext() -> String { context() + ".bookingProfile" }
            let meeting = integer(profile, "meetingMinutes", at: profileContext(), required: true, minimum: 1)
            let before = integer(profile, "bufferBeforeMinutes", at: profileContext(), required: false, minimum: 0) ?? 0
            let after = integer(profile, "bufferAfterMinutes", at: profileContext(), required: false, minimum: 0) ?? 0
            let increment = integer(
                profile, "startIncrementMinutes", at: profileContext(), required: true, minimum: 1, maximum: 1440)
            if let increment, 60 % increment != 0 && increment % 60 != 0 {
                report(
                    profileContext(), "startIncrementMinutes must divide 60 or be a multiple of 60, got \(increment)")
            } else if let meeting, let increment {
                overrides.bookingProfile = .some(
                    BookingProfile(
                        meetingMinutes: meeting, bufferBeforeMinutes: before, bufferAfterMinutes: after,
                        startIncrementMinutes: increment))
            }
        case let other?:
            report(context(), "bookingProfile must be null or an object, got \(other.typeName)")
        }
        return overrides
    }

    mutating func technician(_ value: JSONValue, index: Int) -> Technician? {
        guard case .object(let object) = value else {
            report("technicians[\(index)]", "must be an object, got \(value.typeName)")
            return nil
        }
        guard let id = string(object, "id", at: "technicians[\(index)]", required: true) else { return nil }
        guard !id.isEmpty else {
            report("technicians[\(index)]", "id must be a non-empty string")
            return nil
        }
        let context = "technician \(id)"
        let name = string(object, "name", at: context, required: false)
        var timeZone: TimeZone?
        if let zoneName = string(object, "timeZone", at: context, required: true) {
            timeZone = Self.ianaTimeZone(zoneName)
            if timeZone == nil {
                report(
                    context,
                    "timeZone must be an IANA time zone such as America/New_York, got \"\(zoneName.prefix(40))\"")
            }
        }
        var schedule: WorkSchedule?
        switch object["workSchedule"] {
        case nil: missing(context, "workSchedule")
        case .object(let scheduleObject)?: schedule = workSchedule(scheduleObject, at: context)
        case let other?: report(context, "workSchedule must be an object, got \(other.typeName)")
        }
        let settings = settings(object["settings"], at: context + ": settings") ?? SettingsOverrides()
        var busy: [BusyItem] = []
        for (index, item) in (list(object, "busy", at: context, required: false) ?? []).enumerated() {
            if let item = busyItem(item, at: "\(context): busy[\(index)]") { busy.append(item) }
        }
        var activities: [NextActivity] = []
        var activityIds: Set<String> = []
        for (index, item) in (list(object, "nextActivities", at: context, required: false) ?? []).enumerated() {
            guard let activity = nextActivity(item, at: "\(context): nextActivities[\(index)]") else { continue }
            if !activityIds.insert(activity.id).inserted {
                report(
                    "\(context): nextActivities[\(index)]",
                    "id \"\(activity.id)\" is used by an earlier activity of this technician")
            }
            activities.append(activity)
        }
        let current = currentBlocks(list(object, "current", at: context, required: false), at: context)
        guard let timeZone, let schedule else { return nil }
        return Technician(
            id: id, name: name, timeZone: timeZone, workSchedule: schedule, busy: busy, nextActivities: activities,
            settings: settings, current: current)
    }

    /// The blocks now on the PSA calendar (`current`): each names an activity and part once, and
    /// ends after it starts. Entries of activities the technician does not have are read and then
    /// ignored by the planner, as plan-format.md says.
    mutating func currentBlocks(_ values: [JSONValue]?, at context: String) -> [CurrentBlock] {
        var result: [CurrentBlock] = []
        var seen: Set<CurrentKey> = []
        for (index, value) in (values ?? []).enumerated() {
            let position = "\(context): current[\(index)]"
            guard case .object(let object) = value else {
                report(position, "must be an object with activityId, part, start and end, got \(value.typeName)")
                continue
            }
            var activityId: String?
            switch object["activityId"] {
            case .string(let text)? where !text.isEmpty: activityId = text
            case nil: missing(position, "activityId")
            default: report(position, "activityId must be a non-empty string")
            }
            func entryContext() -> String { activityId.map { "\(position) (\($0))" } ?? position }
            let part = integer(object, "part", at: entryContext(), required: true, minimum: 1)
            let start = instant(object, "start", at: entryContext(), required: true)
            let end = instant(object, "end", at: entryContext(), required: true)
            if let start, let end, end <= start {
                report(entryContext(), "end \(end) must be after start \(start)")
                continue
            }
            guard let activityId, let part, let start, let end else { continue }
            if !seen.insert(CurrentKey(activityId: activityId, part: part)).inserted {
                report(entryContext(), "part \(part) of \(activityId) is given by an earlier entry")
                continue
            }
            result.append(CurrentBlock(activityId: activityId, part: part, start: start, end: end))
        }
        return result
    }

    private struct CurrentKey: Hashable {
        let activityId: String
        let part: Int
    }

    /// IANA zone names without an area: the few the tz database keeps at its top level.
    static let ianaTopLevelZones: Set<String> = [
        "UTC", "GMT", "UCT", "Zulu", "Universal", "Greenwich", "EST", "MST", "HST", "EST5EDT", "CST6CDT", "MST7MDT",
        "PST8PDT", "CET", "EET", "MET", "WET",
    ]

    /// The zone an IANA name stands for. Foundation also accepts offsets such as `GMT+5` and ICU's
    /// abbreviations such as `PST` or `IST`, which are not IANA names (and `IST` means three
    /// different zones); those are refused.
    static func ianaTimeZone(_ name: String) -> TimeZone? {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_-+".contains($0)) }),
            name.contains("/") || ianaTopLevelZones.contains(name)
        else { return nil }
        return TimeZone(identifier: name)
    }

    mutating func workSchedule(_ object: JSONObject, at context: String) -> WorkSchedule? {
        let problemsBefore = problems.count
        var weekly: [Weekday: [Shift]] = [:]
        switch object["weekly"] {
        case nil: break
        case .object(let days)?:
            for member in days.members {
                let (key, value) = (member.key, member.value)
                guard let weekday = Weekday(rawValue: key) else {
                    report(
                        "\(context): workSchedule.weekly",
                        "\(key) is not a weekday; use mon, tue, wed, thu, fri, sat, sun")
                    continue
                }
                weekly[weekday] = shifts(value, at: "\(context): workSchedule.weekly.\(key)")
            }
        case let other?:
            report("\(context): workSchedule", "weekly must be an object of weekdays, got \(other.typeName)")
        }
        var exceptions: [LocalDate: [Shift]] = [:]
        for (index, value) in (list(object, "exceptions", at: "\(context): workSchedule", required: false) ?? [])
            .enumerated()
        {
            let exceptionContext = "\(context): workSchedule.exceptions[\(index)]"
            guard case .object(let exception) = value else {
                report(exceptionContext, "must be an object with date and shifts, got \(value.typeName)")
                continue
            }
            var date: LocalDate?
            if let text = string(exception, "date", at: exceptionContext, required: true) {
                date = LocalDate(text)
                if date == nil {
                    report(exceptionContext, "date must be a date YYYY-MM-DD, got \"\(text.prefix(40))\"")
                }
            }
            var dayShifts: [Shift]?
            if let shiftsValue = exception["shifts"] {
                dayShifts = shifts(shiftsValue, at: "\(exceptionContext).shifts")
            } else {
                missing(exceptionContext, "shifts")
            }
            if let date, let dayShifts {
                if exceptions.updateValue(dayShifts, forKey: date) != nil {
                    report(exceptionContext, "date \(date) has an earlier exception already")
                }
            }
        }
        guard problems.count == problemsBefore else { return nil }
        return WorkSchedule(weekly: weekly, exceptions: exceptions)
    }

    /// A day's shifts: a list of `["HH:MM", "HH:MM"]` pairs that end after they start and do not overlap.
    mutating func shifts(_ value: JSONValue, at context: String) -> [Shift] {
        guard case .array(let pairs) = value else {
            report(context, "must be a list of shifts like [\"08:00\", \"17:00\"], got \(value.typeName)")
            return []
        }
        var result: [(index: Int, shift: Shift)] = []
        for (index, pair) in pairs.enumerated() {
            let shiftContext = "\(context)[\(index)]"
            guard case .array(let ends) = pair, ends.count == 2, case .string(let startText) = ends[0],
                case .string(let endText) = ends[1]
            else {
                report(shiftContext, "a shift must be a pair of times like [\"08:00\", \"17:00\"]")
                continue
            }
            guard let start = WallClockTime(startText), start.minutesSinceMidnight < 1440 else {
                report(shiftContext, "start must be a time from 00:00 to 23:59, got \"\(startText.prefix(40))\"")
                continue
            }
            guard let end = WallClockTime(endText) else {
                report(shiftContext, "end must be a time from 00:00 to 24:00, got \"\(endText.prefix(40))\"")
                continue
            }
            guard let shift = Shift(start: start, end: end) else {
                report(shiftContext, "shift ends before it starts (\(start)–\(end))")
                continue
            }
            result.append((index, shift))
        }
        let sorted = result.sorted { $0.shift.start < $1.shift.start }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.shift.start < earlier.shift.end {
            report(
                "\(context)[\(later.index)]",
                "shift \(later.shift.start)–\(later.shift.end) overlaps shift \(earlier.shift.start)–\(earlier.shift.end)"
            )
        }
        return result.map(\.shift)
    }

    mutating func busyItem(_ value: JSONValue, at position: @autoclosure () -> String) -> BusyItem? {
        guard case .object(let object) = value else {
            report(position(), "must be an object, got \(value.typeName)")
            return nil
        }
        let id = identifier(object, "id", at: position(), required: false)
        func context() -> String { id.map { "\(position()) (\($0))" } ?? position() }
        let kind: BusyItem.Kind? = choice(object, "kind", at: context(), required: true)
        let start = instant(object, "start", at: context(), required: true)
        let end = instant(object, "end", at: context(), required: true)
        let showAs: BusyItem.ShowAs? = choice(object, "showAs", at: context(), required: false)
        let status: BusyItem.Status? = choice(object, "status", at: context(), required: false)
        let title = string(object, "title", at: context(), required: false)
        if let start, let end, end < start {
            report(context(), "end \(end) is before start \(start)")
            return nil
        }
        guard let kind, let start, let end else { return nil }
        return BusyItem(id: id, kind: kind, start: start, end: end, showAs: showAs, status: status, title: title)
    }

    mutating func nextActivity(_ value: JSONValue, at position: @autoclosure () -> String) -> NextActivity? {
        guard case .object(let object) = value else {
            report(position(), "must be an object, got \(value.typeName)")
            return nil
        }
        var id: String?
        switch object["id"] {
        case .string(let text)? where !text.isEmpty: id = text
        case nil: missing(position(), "id")
        default: report(position(), "id must be a non-empty string")
        }
        func context() -> String { id.map { "\(position()) (\($0))" } ?? position() }
        let ticketId = identifier(object, "ticketId", at: context(), required: false)
        let priority = integer(object, "priority", at: context(), required: true, minimum: 1, maximum: Int(Int32.max))
        let duration = integer(object, "durationMinutes", at: context(), required: true, minimum: 1)
        let ticketCreated = instant(object, "ticketCreated", at: context(), required: true)
        let sleepUntil = instant(object, "sleepUntil", at: context(), required: false)
        let startedAt = instant(object, "startedAt", at: context(), required: false)
        let dueDateTime = instant(object, "dueDateTime", at: context(), required: false)
        guard let id, let priority, let duration, let ticketCreated else { return nil }
        return NextActivity(
            id: id, ticketId: ticketId, priority: priority, durationMinutes: duration, ticketCreated: ticketCreated,
            sleepUntil: sleepUntil, startedAt: startedAt, dueDateTime: dueDateTime)
    }
}
