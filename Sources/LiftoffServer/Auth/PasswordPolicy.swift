import Foundation
import Vapor

/// What a password must be. bcrypt reads only a password's first 72 bytes, so a longer one would
/// be accepted with anything after byte 72: refused instead, with the limit in words (a byte limit,
/// because letters beyond ASCII take two to four bytes each).
enum PasswordPolicy {
    static let minimumCharacters = 8
    static let maximumBytes = 72

    /// A 400 naming `field` unless `password` may be set.
    static func check(_ password: String, field: String = "password") throws {
        guard password.count >= minimumCharacters else {
            throw Abort(.badRequest, reason: "\(field) needs at least \(minimumCharacters) characters")
        }
        guard password.utf8.count <= maximumBytes else {
            throw Abort(
                .badRequest,
                reason:
                    "\(field) is too long: at most \(maximumBytes) bytes (72 letters and digits, fewer with accents or symbols), got \(password.utf8.count)"
            )
        }
    }

    /// Whether `password` could be anyone's: longer ones are never set, so they never match.
    static func mayMatch(_ password: String) -> Bool { password.utf8.count <= maximumBytes }
}
