import Crypto
import Foundation

/// Encrypts secrets kept in the Store (the Autotask API secret) with AES-GCM, so a copy of the
/// database alone does not give away the PSA. The key comes from `LIFTOFF_SECRET_KEY` (32 bytes,
/// base64) or a key file made on first start with owner-only permissions.
struct SecretBox: Sendable {
    let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// The key from the environment, else from `keyFile` (created if missing).
    static func load(environment: [String: String], keyFile: String) throws -> SecretBox {
        if let text = environment["LIFTOFF_SECRET_KEY"] {
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw ConfigurationError(
                    message: "LIFTOFF_SECRET_KEY must be 32 bytes in base64 (try: head -c32 /dev/urandom | base64)")
            }
            return SecretBox(key: SymmetricKey(data: data))
        }
        let manager = FileManager.default
        if let data = manager.contents(atPath: keyFile) {
            guard
                let decoded = Data(
                    base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                ),
                decoded.count == 32
            else {
                throw ConfigurationError(
                    message:
                        "the key file \(keyFile) is not 32 bytes of base64; restore it or remove it and re-enter the Autotask secret"
                )
            }
            return SecretBox(key: SymmetricKey(data: decoded))
        }
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0) }.base64EncodedString()
        guard manager.createFile(atPath: keyFile, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ConfigurationError(
                message: "could not create the key file \(keyFile); set LIFTOFF_SECRET_KEY instead")
        }
        return SecretBox(key: key)
    }

    func seal(_ plaintext: String) throws -> String {
        guard let combined = try AES.GCM.seal(Data(plaintext.utf8), using: key).combined else {
            throw ConfigurationError(message: "could not encrypt the secret")
        }
        return combined.base64EncodedString()
    }

    func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else {
            throw ConfigurationError(message: "the stored secret is not base64")
        }
        do {
            return String(decoding: try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key), as: UTF8.self)
        } catch {
            throw ConfigurationError(
                message:
                    "the stored Autotask secret cannot be decrypted with this key (was the key file replaced?); enter the connection again in Settings"
            )
        }
    }
}
