import Crypto
import Foundation
import Vapor

/// When a signed-in session stops being valid, whatever the cookie says: seven days after login, or
/// as soon as the user's password changes (the session keeps a fingerprint of the password hash, so
/// changing it signs out every other session).
enum SessionValidity {
    static let lifetime: TimeInterval = 7 * 86_400

    static func stamp(_ session: Session, for user: UserRecord, now: Date) {
        session.data["issuedAt"] = String(Int(now.timeIntervalSince1970))
        session.data["credential"] = fingerprint(of: user)
    }

    static func isValid(_ session: Session, for user: UserRecord, now: Date) -> Bool {
        guard let issued = session.data["issuedAt"].flatMap(Double.init),
            now.timeIntervalSince1970 - issued < lifetime,
            let credential = session.data["credential"]
        else { return false }
        return AccountMiddleware.constantTimeEqual(credential, fingerprint(of: user))
    }

    static func fingerprint(of user: UserRecord) -> String {
        SHA256.hash(data: Data(user.passwordHash.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
