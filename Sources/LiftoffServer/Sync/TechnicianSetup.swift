import Foundation
import LiftoffCore

/// What Liftoff plans a technician with, from what the import understood and what an admin set.
///
/// The hand-set zone and weekly hours win; the imported holidays always apply. A technician whose
/// zone or hours are known from neither side *needs attention*: they are planned with no working
/// time (so no block gets a time that could be 3 a.m. for them) and no service call is written for
/// them until someone fixes it — never a silent UTC.
extension TechnicianRecord {
    /// Sets `timeZone`, `workSchedule` and `attention` from the imported and hand-set columns.
    func settle() {
        var reasons: [String] = []
        let zone = zoneOverride ?? importedTimeZone
        if zone == nil {
            reasons.append("time zone unknown — \(zoneSource ?? "Autotask gave none")")
        }
        var schedule = importedWorkSchedule.flatMap(Self.scheduleObject) ?? JSONObject()
        if let hoursOverride, case .object(let weekly)? = try? JSONParser.parse(Array(hoursOverride.utf8)) {
            schedule["weekly"] = .object(weekly)
        }
        if schedule["exceptions"] == nil { schedule["exceptions"] = .array([]) }
        if hoursOverride == nil {
            if importedWorkSchedule == nil {
                reasons.append("working hours unknown — no Autotask location with business hours")
            } else if !Self.hasHours(schedule) {
                reasons.append("working hours empty — the Autotask location has no business hours on any day")
            }
        }
        timeZone = zone ?? "UTC"
        if !reasons.isEmpty {
            // Planned with no working time: its work stays on the Workboard, with no times.
            schedule["weekly"] = .object(
                JSONObject(uniqueKeysWithValues: WeeklyHours.days.map { ($0, JSONValue.array([])) }))
        } else if schedule["weekly"] == nil {
            schedule["weekly"] = .object(JSONObject())
        }
        workSchedule = String(decoding: JSONValue.object(schedule).serialized, as: UTF8.self)
        attention = reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// The weekly hours planned with, as the Settings form shows them.
    var weeklyHours: WeeklyHours? {
        guard let object = Self.scheduleObject(workSchedule), let weekly = object["weekly"] else { return nil }
        return try? WeeklyHours(json: weekly, field: "weekly")
    }

    private static func scheduleObject(_ text: String) -> JSONObject? {
        guard case .object(let object)? = try? JSONParser.parse(Array(text.utf8)) else { return nil }
        return object
    }

    private static func hasHours(_ schedule: JSONObject) -> Bool {
        guard case .object(let weekly)? = schedule["weekly"] else { return false }
        return weekly.members.contains { member in
            if case .array(let shifts) = member.value { return !shifts.isEmpty }
            return false
        }
    }
}

extension JSONObject {
    init(uniqueKeysWithValues pairs: [(String, JSONValue)]) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }
}
