import Foundation

/// Past moments in words for pages whose reader has no time zone of their own in Liftoff (a
/// dispatcher on Settings): "12 minutes ago" needs none, and the exact UTC time beside it is the same
/// for every reader. The browser replaces the UTC text with the viewer's own zone when it can.
enum ElapsedTime {
    static func ago(from then: Date, to now: Date) -> String {
        let seconds = Int(now.timeIntervalSince(then))
        switch seconds {
        case ..<0: return "just now"
        case ..<60: return "less than a minute ago"
        case ..<3600: return plural(seconds / 60, "minute") + " ago"
        case ..<86_400: return plural(seconds / 3600, "hour") + " ago"
        default: return plural(seconds / 86_400, "day") + " ago"
        }
    }

    /// "Tue 8 Sep 13:48 UTC".
    static func utcDayAndClock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .hour, .minute], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        let clock = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        return "\(weekday) \(parts.day ?? 1) \(month) \(clock) UTC"
    }

    private static func plural(_ count: Int, _ unit: String) -> String {
        "\(count) \(unit)\(count == 1 ? "" : "s")"
    }
}
