import Fluent
import Foundation
import SQLiteNIO

/// SQLite lets one writer at a time. sqlite-nio waits for a lock as long as it takes, except where
/// waiting would deadlock: a transaction that read before another writer committed must start over,
/// and SQLite says so at once (`database is locked`). Liftoff's transactions start over here, a few
/// times, before the request gives up with 503 and `Retry-After`. PostgreSQL never answers this way.
enum StoreContention {
    static let attempts = 6

    static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? SQLiteError else { return false }
        switch error.reason {
        case .busy, .locked, .busyInSnapshot, .busyInRecovery, .busyTimeout, .lockedBySharedCache: return true
        default: return false
        }
    }
}

extension Database {
    /// `transaction`, started over (after a few milliseconds) when SQLite answers busy.
    func transactionStartingOverWhenBusy<T: Sendable>(
        _ closure: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await transaction(closure)
            } catch  where StoreContention.isBusy(error) && attempt < StoreContention.attempts {
                try await Task.sleep(for: .milliseconds(5 << attempt))
                attempt += 1
            }
        }
    }
}
