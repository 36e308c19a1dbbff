import Foundation
import LiftoffCore

/// The names of a technician's holidays, kept in the stored work schedule beside each exception
/// (`{"date": "2026-10-02", "shifts": [], "name": "Gandhi Jayanti"}`; the plan format ignores the
/// member), so the calendar and `/connection` can say *which* holiday a blank day is.
enum HolidayNames {
    /// Date (`YYYY-MM-DD`) → name, for the day-off exceptions of a stored work schedule. A day off
    /// without a name (a hand-made exception, or Autotask gave none) maps to "Holiday".
    static func read(_ workSchedule: String?) -> [String: String] {
        guard let workSchedule, case .object(let object)? = try? JSONParser.parse(Array(workSchedule.utf8)),
            case .array(let exceptions)? = object["exceptions"]
        else { return [:] }
        var names: [String: String] = [:]
        for exception in exceptions {
            guard case .object(let entry) = exception, case .string(let date)? = entry["date"],
                case .array(let shifts)? = entry["shifts"], shifts.isEmpty
            else { continue }
            if case .string(let name)? = entry["name"], !name.isEmpty {
                names[date] = name
            } else {
                names[date] = "Holiday"
            }
        }
        return names
    }
}
