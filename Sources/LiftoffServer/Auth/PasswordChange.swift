import Fluent
import Foundation
import Vapor

/// The one way a password changes, from the account page, Settings or the API, so that every route
/// asks the same questions: a stolen session must not be enough to take an account for good.
enum PasswordChange {
    /// `account` sets `user`'s password to `new`.
    ///
    /// Changing one's own needs `current`; a wrong one counts as a failed login (``LoginLimit``), so
    /// guessing it here is as slow as at the login page. An admin setting someone else's needs none,
    /// and lifts that user's login locks: "ask an admin" is the way back for a locked-out user. Every
    /// session of the user signs out (``SessionValidity``).
    static func apply(
        new: String, current: String?, of user: UserRecord, by account: Account, request: Request
    ) async throws {
        guard let runtime = request.application.storage[LiftoffRuntimeKey.self] else {
            throw Abort(.internalServerError)
        }
        let own = account.userID != nil && account.userID == user.id
        guard own || account.isAdmin else {
            throw Abort(.forbidden, reason: "you may change your own password only")
        }
        try PasswordPolicy.check(new, field: "the new password")
        if own {
            try await checkCurrent(current, of: user, runtime: runtime, request: request)
        }
        user.passwordHash = try await Accounts.hash(new)
        try await user.save(on: request.db)
        if !own {
            try await runtime.loginLimit.lift(username: user.username, on: request.db)
        }
    }

    private static func checkCurrent(_ current: String?, of user: UserRecord, runtime: LiftoffRuntime, request: Request)
        async throws
    {
        guard let current, !current.isEmpty else {
            throw Abort(.badRequest, reason: "currentPassword is missing: changing your own password needs it")
        }
        let address = request.clientAddress
        let now = runtime.clock.now()
        if let wait = try await runtime.loginLimit.wait(
            username: user.username, address: address, now: now, on: request.db)
        {
            throw tooMany(wait: wait)
        }
        guard try await Accounts.verify(username: user.username, password: current, on: request.db) != nil else {
            try await runtime.loginLimit.failed(username: user.username, address: address, now: now, on: request.db)
            request.logger.notice(
                "wrong current password", metadata: ["username": "\(user.username)", "address": "\(address)"])
            throw Abort(.forbidden, reason: "the current password is not right")
        }
        try await runtime.loginLimit.succeeded(username: user.username, address: address, on: request.db)
    }

    /// 429 with `Retry-After`, in the words of the login page.
    static func tooMany(wait: TimeInterval) -> Abort {
        let minutes = Int((wait / 60).rounded(.up))
        return Abort(
            .tooManyRequests, headers: ["Retry-After": String(Int(wait.rounded(.up)))],
            reason: "Too many wrong passwords for this user from here. Try again in \(minutes) minute"
                + (minutes == 1 ? "" : "s") + ", or ask an admin to set a new password.")
    }
}
