import AutotaskAPI
import Fluent
import Foundation
import Vapor

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

    /// A connection as an admin entered it. A blank secret keeps the stored one — but only for the
    /// same integration code, user and discovery URL, so the stored secret is never sent to a host
    /// (or for a user) it was not given for. Names what is missing or wrong.
    static func entered(
        integrationCode: String, userName: String, secret: String?, discoveryURL: String?, on database: Database,
        box: SecretBox
    ) async throws -> StoredConnection {
        var connection = StoredConnection(
            integrationCode: integrationCode.trimmingCharacters(in: .whitespaces),
            userName: userName.trimmingCharacters(in: .whitespaces), secret: secret ?? "",
            discoveryURL: (discoveryURL ?? AutotaskConfiguration.autotaskDiscoveryURL.absoluteString)
                .trimmingCharacters(in: .whitespaces))
        if connection.secret.isEmpty, let saved = try? await load(on: database, box: box),
            saved.integrationCode == connection.integrationCode, saved.userName == connection.userName,
            saved.discoveryURL == connection.discoveryURL
        {
            connection.secret = saved.secret
        }
        for (value, name) in [
            (connection.integrationCode, "the integration code"), (connection.userName, "the API user name"),
            (connection.secret, "the secret (enter it again when the code, user or URL changes)"),
        ] where value.isEmpty {
            throw Abort(.badRequest, reason: "Autotask needs \(name)")
        }
        guard connection.configuration != nil else {
            throw Abort(
                .badRequest, reason: "the zone-discovery URL “\(connection.discoveryURL)” is not an http(s) URL")
        }
        return connection
    }
}
