import AutotaskAPI
import Fluent
import Foundation

/// The Autotask connection as entered on the Settings page, kept in the Store with its secret
/// encrypted by ``SecretBox``.
struct StoredConnection: Codable, Sendable, Equatable {
    var integrationCode: String
    var userName: String
    var secret: String
    var discoveryURL: String

    static let settingKey = "autotask-connection"

    var configuration: AutotaskConfiguration? {
        guard let url = URL(string: discoveryURL), url.scheme == "http" || url.scheme == "https" else { return nil }
        return AutotaskConfiguration(
            integrationCode: integrationCode, userName: userName, secret: secret, discoveryURL: url)
    }

    static func load(on database: Database, box: SecretBox) async throws -> StoredConnection? {
        guard let sealed = try await SettingsStore.get(settingKey, on: database) else { return nil }
        let text = try box.open(sealed)
        return try JSONDecoder().decode(StoredConnection.self, from: Data(text.utf8))
    }

    func save(on database: Database, box: SecretBox) async throws {
        let text = String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
        try await SettingsStore.set(Self.settingKey, try box.seal(text), on: database)
    }
}
