import Fluent
import Foundation

/// Slows password guessing, in the Store so that every instance counts the same failures.
///
/// Five failed password checks for one user name from one client address within fifteen minutes
/// make that pair wait until the oldest of them is fifteen minutes old; twenty from one address
/// (trying many names) make the address wait likewise. Failed *current password* checks when
/// changing a password count as failed logins.
///
/// Why the pair and not the user alone: a stranger guessing at `admin` from elsewhere must not lock
/// the real admin out. The client address is the peer's, or the one a trusted proxy forwarded
/// (``TrustedProxies``): behind a proxy that is not configured, everyone shares the proxy's address.
/// A success clears the pair; an admin setting the user's password (page, API or
/// `liftoff admin reset-password`) clears every pair of that user.
struct LoginLimit: Sendable {
    var window: TimeInterval = 15 * 60
    var perAccount = 5
    var perAddress = 20

    /// Seconds to wait before this check may be tried, or nil when it may be tried now.
    func wait(username: String, address: String, now: Date, on database: Database) async throws -> TimeInterval? {
        let since = now.addingTimeInterval(-window)
        let byAddress = LoginFailureRecord.query(on: database).filter(\.$address == address)
            .filter(\.$failedAt > since)
        let byAccount = LoginFailureRecord.query(on: database).filter(\.$address == address)
            .filter(\.$username == Self.name(username)).filter(\.$failedAt > since)
        var longest: TimeInterval?
        for (query, limit) in [(byAccount, perAccount), (byAddress, perAddress)] {
            let recent = try await query.sort(\.$failedAt, .descending).limit(limit).all()
            guard recent.count >= limit, let oldestCounted = recent.last else { continue }
            longest = max(longest ?? 0, window - now.timeIntervalSince(oldestCounted.failedAt))
        }
        return longest
    }

    func failed(username: String, address: String, now: Date, on database: Database) async throws {
        try await LoginFailureRecord(username: Self.name(username), address: address, failedAt: now)
            .create(on: database)
        // Failures older than the window count for nothing: forget them as new ones arrive.
        try await LoginFailureRecord.query(on: database).filter(\.$failedAt <= now.addingTimeInterval(-window))
            .delete()
    }

    func succeeded(username: String, address: String, on database: Database) async throws {
        try await LoginFailureRecord.query(on: database).filter(\.$username == Self.name(username))
            .filter(\.$address == address).delete()
    }

    /// Lifts every lock on this user, from any address: an admin has just set their password.
    func lift(username: String, on database: Database) async throws {
        try await LoginFailureRecord.query(on: database).filter(\.$username == Self.name(username)).delete()
    }

    /// The name as accounts store it, so `Admin ` and `admin` count together.
    static func name(_ username: String) -> String {
        username.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
