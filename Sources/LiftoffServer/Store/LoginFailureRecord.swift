import Fluent
import Foundation
import SQLKit

/// One failed password check (a login, or the current password when changing it), kept in the Store
/// so that every instance counts the same failures and a restart forgets none.
final class LoginFailureRecord: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(key: .id) var id: UUID?
    /// The user name tried, as accounts store it (trimmed, lower case).
    @Field(key: "username") var username: String
    /// The client's address (``ClientAddress``).
    @Field(key: "address") var address: String
    @Field(key: "failed_at") var failedAt: Date

    init() {}

    init(username: String, address: String, failedAt: Date) {
        self.username = username
        self.address = address
        self.failedAt = failedAt
    }
}

/// The `login_failures` table, indexed on what every login reads.
struct CreateLoginFailures: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(LoginFailureRecord.schema).id()
            .field("username", .string, .required)
            .field("address", .string, .required)
            .field("failed_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_failures_address").on(LoginFailureRecord.schema).column("address")
                .run()
            try await sql.create(index: "login_failures_username").on(LoginFailureRecord.schema).column("username")
                .run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(LoginFailureRecord.schema).delete()
    }
}
