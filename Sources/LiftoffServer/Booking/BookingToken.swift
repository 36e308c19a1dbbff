import Crypto
import Foundation

/// The secrets in booking URLs: a link's id with an HMAC-SHA256 over it and its expiry, and a
/// booking's id with an HMAC over it (the customer's page to see, reschedule or cancel it).
///
/// Why signed and not merely random: an id that is guessed or copied from a log with one character
/// changed fails the signature before the Store is read, and a link's expiry cannot be stretched by
/// editing the row without the key. The key is derived from the Store's secret key (``SecretBox``),
/// so every instance signs alike; changing that key voids every link and booking page, like the
/// stored Autotask secret.
struct BookingToken: Sendable {
    private let key: SymmetricKey

    init(box: SecretBox) {
        let derived = HMAC<SHA256>.authenticationCode(for: Data("liftoff booking urls v1".utf8), using: box.key)
        key = SymmetricKey(data: Data(derived))
    }

    /// `/book/<this>`: 32 hex digits of the id, a dash and 22 characters of signature.
    func link(_ id: UUID, expiresAt: Date) -> String {
        let hex = Self.hex(id)
        return hex + "-" + signature("link:\(hex):\(Int64(expiresAt.timeIntervalSince1970))")
    }

    /// `/bookings/<this>`.
    func booking(_ id: UUID) -> String {
        let hex = Self.hex(id)
        return hex + "-" + signature("booking:\(hex)")
    }

    /// The link id a token names, before its signature is checked against the stored expiry.
    static func linkID(in token: String) -> UUID? { id(in: token) }

    /// Whether `token` is the link's own, signed over its stored expiry.
    func isLink(_ token: String, of id: UUID, expiresAt: Date) -> Bool {
        AccountMiddleware.constantTimeEqual(token, link(id, expiresAt: expiresAt))
    }

    /// The booking a token names, when its signature holds.
    func bookingID(in token: String) -> UUID? {
        guard let id = Self.id(in: token), AccountMiddleware.constantTimeEqual(token, booking(id)) else { return nil }
        return id
    }

    private func signature(_ text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)
        return Data(code.prefix(16)).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func hex(_ id: UUID) -> String {
        id.uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    private static func id(in token: String) -> UUID? {
        let parts = token.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 32, parts[0].allSatisfy(\.isHexDigit) else { return nil }
        let hex = Array(parts[0])
        let dashed = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }.joined(separator: "-")
        return UUID(uuidString: dashed)
    }
}
