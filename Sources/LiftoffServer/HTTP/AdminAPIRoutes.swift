import AutotaskAPI
import Fluent
import Foundation
import Vapor

/// The Settings page's admin work as JSON: users, API tokens, the Autotask connection and the reflow
/// schedule, plus reading a technician's setting overrides. Same checks as the page.
struct AdminAPIRoutes: RouteCollection {
    let runtime: LiftoffRuntime

    func boot(routes: RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireAccount(answer: .unauthorized), CSRFCheck())
        // Everyone: their own password (the handler lets admins set anyone else's).
        api.put("users", ":username", "password", use: setPassword)
        let dispatchers = api.grouped(RequireRole(.dispatcher))
        dispatchers.get("settings", "reflow", use: reflowSchedule)
        dispatchers.get("settings", "technicians", ":technicianId", use: technicianSettings)
        let admins = api.grouped(RequireRole(.admin))
        admins.get("users", use: users)
        admins.post("users", use: addUser)
        admins.delete("users", ":username", use: removeUser)
        admins.get("tokens", use: tokens)
        admins.post("tokens", use: addToken)
        admins.delete("tokens", ":tokenId", use: revokeToken)
        admins.get("settings", "connection", use: connection)
        admins.put("settings", "connection", use: saveConnection)
        admins.post("settings", "connection", "test", use: testConnection)
        admins.put("settings", "reflow", use: saveReflowSchedule)
    }

    struct User: Content {
        var username: String
        var displayName: String
        var role: String
        var technicianId: Int?
    }

    @Sendable func users(_ request: Request) async throws -> [User] {
        return try await UserRecord.query(on: request.db).sort(\.$username).all().map {
            User(username: $0.username, displayName: $0.displayName, role: $0.role, technicianId: $0.resourceID)
        }
    }

    struct NewUser: Content {
        var username: String
        var displayName: String?
        var password: String
        var role: String
        var technicianId: Int?
    }

    @Sendable func addUser(_ request: Request) async throws -> Response {
        let input = try request.decodeBody(NewUser.self)
        guard let role = Role(rawValue: input.role) else {
            throw Abort(.badRequest, reason: "role must be admin, dispatcher or technician, got \(input.role)")
        }
        let user = try await Accounts.create(
            username: input.username, displayName: input.displayName ?? "", password: input.password, role: role,
            resourceID: input.technicianId, now: runtime.clock.now(), on: request.db)
        let response = try APIRoutes.json(
            User(username: user.username, displayName: user.displayName, role: user.role, technicianId: user.resourceID)
        )
        response.status = .created
        return response
    }

    @Sendable func removeUser(_ request: Request) async throws -> HTTPStatus {
        let account = try request.account()
        try await Accounts.remove(username: request.parameters.get("username") ?? "", by: account, on: request.db)
        return .noContent
    }

    struct NewPassword: Content {
        var password: String
        /// Required to change one's own password; an admin setting someone else's leaves it out.
        var currentPassword: String?
    }

    /// Admins set anyone else's password; everyone may change their own with the current one.
    @Sendable func setPassword(_ request: Request) async throws -> HTTPStatus {
        let account = try request.account()
        let username = request.parameters.get("username") ?? ""
        guard account.isAdmin || account.username == username else {
            throw Abort(.forbidden, reason: "you may change your own password only")
        }
        guard let user = try await UserRecord.query(on: request.db).filter(\.$username == username).first() else {
            throw Abort(.notFound, reason: "no user named \(username)")
        }
        let input = try request.decodeBody(NewPassword.self)
        try await PasswordChange.apply(
            new: input.password, current: input.currentPassword, of: user, by: account, request: request)
        return .noContent
    }

    struct Token: Content {
        var id: UUID
        var name: String
        var owner: String
        var createdAt: Date
        var lastUsedAt: Date?
        /// Only in the answer that made it: the token is never shown again.
        var token: String?
    }

    @Sendable func tokens(_ request: Request) async throws -> [Token] {
        let names = Dictionary(
            try await UserRecord.query(on: request.db).all().compactMap { user in user.id.map { ($0, user.username) } },
            uniquingKeysWith: { first, _ in first })
        return try await APITokenRecord.query(on: request.db).sort(\.$createdAt).all().map {
            Token(
                id: try $0.requireID(), name: $0.name, owner: names[$0.userID] ?? "", createdAt: $0.createdAt,
                lastUsedAt: $0.lastUsedAt)
        }
    }

    struct NewToken: Content {
        var name: String
    }

    @Sendable func addToken(_ request: Request) async throws -> Response {
        let account = try request.account()
        guard let userID = account.userID else {
            throw Abort(
                .badRequest, reason: "tokens belong to users: make them while logged in as one, or with a user's token")
        }
        let name = try request.decodeBody(NewToken.self).name
        let token = try await Accounts.makeToken(
            named: name, for: userID, now: runtime.clock.now(), on: request.db)
        guard
            let record = try await APITokenRecord.query(on: request.db)
                .filter(\.$tokenHash == AccountMiddleware.hash(token)).first()
        else { throw Abort(.internalServerError) }
        let response = try APIRoutes.json(
            Token(
                id: try record.requireID(), name: record.name, owner: account.username, createdAt: record.createdAt,
                lastUsedAt: nil, token: token))
        response.status = .created
        return response
    }

    @Sendable func revokeToken(_ request: Request) async throws -> HTTPStatus {
        guard let id = request.parameters.get("tokenId", as: UUID.self),
            let token = try await APITokenRecord.find(id, on: request.db)
        else { throw Abort(.notFound, reason: "no API token with that id") }
        try await token.delete(on: request.db)
        return .noContent
    }

    struct Connection: Content {
        var source: String
        var integrationCode: String
        var userName: String
        var discoveryURL: String
        var hasSecret: Bool
    }

    @Sendable func connection(_ request: Request) async throws -> Connection {
        let source = await runtime.connection.source
        if let configured = runtime.connection.configured {
            return Connection(
                source: source.rawValue, integrationCode: configured.integrationCode, userName: configured.userName,
                discoveryURL: configured.discoveryURL.absoluteString, hasSecret: true)
        }
        let stored = try await StoredConnection.load(on: request.db, box: runtime.box)
        return Connection(
            source: source.rawValue, integrationCode: stored?.integrationCode ?? "", userName: stored?.userName ?? "",
            discoveryURL: stored?.discoveryURL ?? AutotaskConfiguration.autotaskDiscoveryURL.absoluteString,
            hasSecret: stored?.secret.isEmpty == false)
    }

    struct NewConnection: Content {
        var integrationCode: String
        var userName: String
        /// Left out or empty: keep the stored secret.
        var secret: String?
        var discoveryURL: String?
    }

    /// The connection in the body; a left-out secret keeps the stored one for the same code, user and URL.
    private func stored(from request: Request) async throws -> StoredConnection {
        let input = try request.decodeBody(NewConnection.self)
        return try await StoredConnection.entered(
            integrationCode: input.integrationCode, userName: input.userName, secret: input.secret,
            discoveryURL: input.discoveryURL, on: request.db, box: runtime.box)
    }

    @Sendable func saveConnection(_ request: Request) async throws -> Connection {
        try await runtime.connection.save(try await stored(from: request))
        return try await connection(request)
    }

    struct TestResult: Content {
        var ok: Bool
        var message: String
    }

    @Sendable func testConnection(_ request: Request) async throws -> TestResult {
        guard let configuration = try await stored(from: request).configuration else {
            throw Abort(.badRequest, reason: "discoveryURL must be an http or https URL")
        }
        let (ok, message) = await runtime.connection.test(configuration)
        return TestResult(ok: ok, message: message)
    }

    struct ReflowSchedule: Content {
        var intervalMinutes: Int
    }

    @Sendable func reflowSchedule(_ request: Request) async throws -> ReflowSchedule {
        return ReflowSchedule(intervalMinutes: await runtime.connection.intervalMinutes)
    }

    @Sendable func saveReflowSchedule(_ request: Request) async throws -> ReflowSchedule {
        let input = try request.decodeBody(ReflowSchedule.self)
        do {
            try await runtime.connection.setInterval(input.intervalMinutes)
        } catch let error as ConfigurationError {
            throw Abort(.badRequest, reason: error.description)
        }
        return input
    }

    @Sendable func technicianSettings(_ request: Request) async throws -> Response {
        let id = try request.technicianIDParameter()
        let text = try await SettingsStore.get(SettingsStore.technicianKey(id), on: request.db) ?? "{}"
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: text))
    }
}
