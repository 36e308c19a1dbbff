import Foundation

/// Slows password guessing: after five failed logins for one user name from one address within
/// fifteen minutes, that pair must wait until the oldest failure is fifteen minutes old; an address
/// with twenty failures in that time (trying many names) waits likewise. Kept in memory per process:
/// several instances each count their own.
actor LoginThrottle {
    let window: TimeInterval
    let perAccount: Int
    let perAddress: Int
    private var failures: [String: [Date]] = [:]

    init(window: TimeInterval = 15 * 60, perAccount: Int = 5, perAddress: Int = 20) {
        self.window = window
        self.perAccount = perAccount
        self.perAddress = perAddress
    }

    /// Seconds to wait before this login may be tried, or nil when it may be tried now.
    func wait(username: String, address: String, now: Date = Date()) -> TimeInterval? {
        let waits = [
            wait(key: Self.accountKey(username, address), limit: perAccount, now: now),
            wait(key: Self.addressKey(address), limit: perAddress, now: now),
        ].compactMap { $0 }
        return waits.max()
    }

    func failed(username: String, address: String, now: Date = Date()) {
        for key in [Self.accountKey(username, address), Self.addressKey(address)] {
            failures[key, default: []].append(now)
        }
        if failures.count > 10_000 { forgetOld(now: now) }
    }

    func succeeded(username: String, address: String) {
        failures[Self.accountKey(username, address)] = nil
    }

    private func wait(key: String, limit: Int, now: Date) -> TimeInterval? {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return window - now.timeIntervalSince(oldest)
    }

    private func forgetOld(now: Date) {
        failures = failures.compactMapValues { dates in
            let recent = dates.filter { now.timeIntervalSince($0) < window }
            return recent.isEmpty ? nil : recent
        }
    }

    private static func accountKey(_ username: String, _ address: String) -> String {
        "user:" + username.trimmingCharacters(in: .whitespaces).lowercased() + "@" + address
    }

    private static func addressKey(_ address: String) -> String { "address:" + address }
}
