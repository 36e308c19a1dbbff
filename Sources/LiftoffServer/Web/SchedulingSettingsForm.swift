import Foundation
import LiftoffCore
import Vapor

/// The scheduling settings of scheduling.md as a form: the site's (blank = Liftoff's default) or a
/// technician's (blank = the site's). Turned into plan-format.md's `settings` JSON and checked by the
/// same reader as `liftoff plan`, so the page, the API and the planner agree on what is valid.
struct SchedulingSettingsForm: Content {
    var alignmentMinutes: String?
    var minMinutesFreeBetweenActivities: String?
    var maxBlockMinutes: String?
    var horizonDays: String?
    var reflowToleranceMinutes: String?
    /// A checkbox on the site form ("on" or absent); on a technician's form `inherit`, `yes` or `no`.
    var blockOnFreeExternalAppointments: String?
    var bookingMeetingMinutes: String?
    var bookingBufferBeforeMinutes: String?
    var bookingBufferAfterMinutes: String?
    var bookingStartIncrementMinutes: String?
    var technician: String?

    static let labels: [String: String] = [
        "alignmentMinutes": "Alignment (minutes)",
        "minMinutesFreeBetweenActivities": "Min Minutes Free Between Activities",
        "maxBlockMinutes": "Max block length (minutes)", "horizonDays": "Planning horizon (days)",
        "reflowToleranceMinutes": "Reflow tolerance (minutes)",
        "bookingMeetingMinutes": "Booking meeting length", "bookingBufferBeforeMinutes": "Buffer before",
        "bookingBufferAfterMinutes": "Buffer after", "bookingStartIncrementMinutes": "Start increment",
    ]

    /// The settings object, or a 400 naming the field that is wrong.
    func json(site: Bool, technicianID: Int? = nil) throws -> JSONValue {
        var object: JSONObject = [:]
        for (key, value) in [
            ("alignmentMinutes", alignmentMinutes),
            ("minMinutesFreeBetweenActivities", minMinutesFreeBetweenActivities),
            ("maxBlockMinutes", maxBlockMinutes), ("horizonDays", horizonDays),
            ("reflowToleranceMinutes", reflowToleranceMinutes),
        ] {
            if let number = try Self.number(value, key) { object[key] = .integer(number) }
        }
        if site {
            object["blockOnFreeExternalAppointments"] = .bool(blockOnFreeExternalAppointments == "on")
        } else if let choice = blockOnFreeExternalAppointments, choice == "yes" || choice == "no" {
            object["blockOnFreeExternalAppointments"] = .bool(choice == "yes")
        }
        let booking = [
            ("meetingMinutes", "bookingMeetingMinutes", bookingMeetingMinutes),
            ("bufferBeforeMinutes", "bookingBufferBeforeMinutes", bookingBufferBeforeMinutes),
            ("bufferAfterMinutes", "bookingBufferAfterMinutes", bookingBufferAfterMinutes),
            ("startIncrementMinutes", "bookingStartIncrementMinutes", bookingStartIncrementMinutes),
        ]
        var profile: JSONObject = [:]
        for (key, field, value) in booking {
            if let number = try Self.number(value, field) { profile[key] = .integer(number) }
        }
        if !profile.keys.isEmpty {
            guard profile["meetingMinutes"] != nil else {
                throw Abort(
                    .badRequest,
                    reason: "a booking profile needs the booking meeting length; leave all four blank for none")
            }
            profile["bufferBeforeMinutes"] = profile["bufferBeforeMinutes"] ?? 0
            profile["bufferAfterMinutes"] = profile["bufferAfterMinutes"] ?? 0
            profile["startIncrementMinutes"] = profile["startIncrementMinutes"] ?? 30
            object["bookingProfile"] = .object(profile)
        }
        let settings = JSONValue.object(object)
        try Self.check(settings, site: site, technicianID: technicianID.map(String.init) ?? "1")
        return settings
    }

    /// Checks a `settings` object exactly as `liftoff plan` does, as the site's or a technician's;
    /// a 400 with the reader's message otherwise. The page and the API share it.
    static func check(_ settings: JSONValue, site: Bool, technicianID: String = "1") throws {
        do {
            if site {
                _ = try PlanDocumentReader.problem(from: [
                    "now": "2026-01-01T00:00:00Z", "settings": settings, "technicians": [],
                ])
            } else {
                let technician: JSONValue = [
                    "id": .string(technicianID), "timeZone": "UTC", "workSchedule": [:], "settings": settings,
                ]
                _ = try PlanDocumentReader.problem(from: ["now": "2026-01-01T00:00:00Z", "technicians": [technician]])
            }
        } catch {
            throw Abort(.badRequest, reason: error.description)
        }
    }

    private static func number(_ value: String?, _ key: String) throws -> Int64? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let number = Int64(text) else {
            throw Abort(.badRequest, reason: "\(labels[key] ?? key) must be a whole number, got “\(text)”")
        }
        return number
    }
}

/// A settings object's values as text for the form's fields.
struct SchedulingSettingsValues: Encodable {
    var alignmentMinutes = ""
    var minMinutesFreeBetweenActivities = ""
    var maxBlockMinutes = ""
    var horizonDays = ""
    var reflowToleranceMinutes = ""
    var blockOnFreeExternalAppointments = ""
    var bookingMeetingMinutes = ""
    var bookingBufferBeforeMinutes = ""
    var bookingBufferAfterMinutes = ""
    var bookingStartIncrementMinutes = ""

    init(json text: String?) {
        guard let text, case .object(let object)? = try? JSONParser.parse(Array(text.utf8)) else { return }
        func string(_ value: JSONValue?) -> String {
            switch value {
            case .integer(let number)?: return String(number)
            case .bool(let flag)?: return flag ? "yes" : "no"
            default: return ""
            }
        }
        alignmentMinutes = string(object["alignmentMinutes"])
        minMinutesFreeBetweenActivities = string(object["minMinutesFreeBetweenActivities"])
        maxBlockMinutes = string(object["maxBlockMinutes"])
        horizonDays = string(object["horizonDays"])
        reflowToleranceMinutes = string(object["reflowToleranceMinutes"])
        blockOnFreeExternalAppointments = string(object["blockOnFreeExternalAppointments"])
        if case .object(let profile)? = object["bookingProfile"] {
            bookingMeetingMinutes = string(profile["meetingMinutes"])
            bookingBufferBeforeMinutes = string(profile["bufferBeforeMinutes"])
            bookingBufferAfterMinutes = string(profile["bufferAfterMinutes"])
            bookingStartIncrementMinutes = string(profile["startIncrementMinutes"])
        }
    }
}
