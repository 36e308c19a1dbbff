import Foundation

/// Date-times as the sandbox stores and answers them: UTC with `Z`, whole seconds. Inputs may carry
/// fractions or no zone designator (then UTC, as Autotask reads them).
enum SandboxDate {
    static func parse(_ text: String) -> Date? {
        var candidate = text
        if candidate.count == 10 { candidate += "T00:00:00" }
        let hasZone =
            candidate.hasSuffix("Z") || candidate.hasSuffix("z")
            || candidate.range(of: #"[+-]\d\d:\d\d$"#, options: .regularExpression) != nil
        if !hasZone { candidate += "Z" }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: candidate) { return date }
        let whole = ISO8601DateFormatter()
        whole.formatOptions = [.withInternetDateTime]
        return whole.date(from: candidate)
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
