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
        var candidate = text
        if candidate.count == 10 { candidate += "T00:00:00" }
        if !(candidate.hasSuffix("Z") || candidate.hasSuffix("z") || hasOffset(candidate)) { candidate += "Z" }
        return RFC3339.parse(candidate).map { Date(timeIntervalSince1970: Double($0.millisecondsSinceEpoch) / 1000) }
    }

    static func format(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        return RFC3339.format(Instant(millisecondsSinceEpoch: seconds * 1000))
    }

    /// Whether `text` ends in a numeric offset such as `+05:30`.
    private static func hasOffset(_ text: String) -> Bool {
        let tail = Array(text.utf8.suffix(6))
        guard tail.count == 6, tail[0] == UInt8(ascii: "+") || tail[0] == UInt8(ascii: "-"),
            tail[3] == UInt8(ascii: ":")
        else { return false }
        return [1, 2, 4, 5].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(tail[$0]) }
    }
}
