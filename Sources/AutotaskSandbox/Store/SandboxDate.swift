import Foundation
import LiftoffCore

/// Date-times as the sandbox stores and answers them: UTC with `Z`, whole seconds. Inputs may carry
/// fractions or no zone designator (then UTC, as Autotask reads them).
///
/// Read and written by LiftoffCore's strict RFC 3339 code rather than `ISO8601DateFormatter`: it is
/// the reader the client uses, it refuses dates that do not exist (2026-02-31) instead of rolling
/// them over, and it needs no ICU formatter per call — under the day simulator's load, creating
/// those formatters concurrently crashed inside ICU.
enum SandboxDate {
    static func parse(_ text: String) -> Date? {
        let candidate = text.count == 10 ? text + "T00:00:00" : text
        return RFC3339.parseAutotask(candidate).map {
            Date(timeIntervalSince1970: Double($0.millisecondsSinceEpoch) / 1000)
        }
    }

    static func format(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        return RFC3339.format(Instant(millisecondsSinceEpoch: seconds * 1000))
    }
}
