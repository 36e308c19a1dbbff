import Crypto
import Fluent
import Foundation
import Vapor
import WallClock

/// Finds the account a request acts for: an API token (`Authorization: Bearer …`) or the session
/// cookie. It never rejects; ``RequireAccount`` does.
///
/// Future-based: a request with the configured token or with no credentials goes straight on; only
/// one whose account must be read from the Store starts a task (Vapor runs every `AsyncMiddleware` in
/// a task of its own, and those hops were a visible share of every answer's work).
struct AccountMiddleware: Middleware {
    /// `LIFTOFF_API_TOKEN`: an admin token given by configuration, for scripts that predate accounts.
    let configuredToken: String?
    /// The server's one clock: session lifetimes and token use are read against it, like everything else.
    let clock: LiftoffClock

    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        if let bearer = request.headers.bearerAuthorization?.token {
            if let configuredToken, Self.constantTimeEqual(bearer, configuredToken) {
                request.auth.login(
                    Account(
                        username: "api-token", displayName: "API token", role: .admin, resourceID: nil, viaToken: true))
                return next.respond(to: request)
            }
            return request.eventLoop.makeFutureWithTask {
                try await self.logIn(token: bearer, request)
                return try await next.respond(to: request).get()
            }
        }
        guard let text = request.session.data["userID"], let id = UUID(uuidString: text) else {
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask {
            try await self.logIn(user: id, request)
            return try await next.respond(to: request).get()
        }
    }

    private func logIn(token bearer: String, _ request: Request) async throws {
        if let token = try await APITokenRecord.query(on: request.db)
            .filter(\.$tokenHash == Self.hash(bearer)).first(),
            let user = try await UserRecord.find(token.userID, on: request.db)
        {
            let now = clock.now()
            if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
                token.lastUsedAt = now
                try await token.save(on: request.db)
            }
            request.auth.login(Account(user: user, viaToken: true))
        } else if request.url.path != "/health" {
            throw Abort(.unauthorized, reason: "the API token is not valid (revoked or mistyped)")
        }
    }

    private func logIn(user id: UUID, _ request: Request) async throws {
        if let user = try await UserRecord.find(id, on: request.db),
            SessionValidity.isValid(request.session, for: user, now: clock.now())
        {
            request.auth.login(Account(user: user, viaToken: false))
        } else {
            // Expired, the password changed, or the user is gone: sign the session out.
            request.session.data["userID"] = nil
        }
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let (a, b) = (Array(left.utf8), Array(right.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Lets only signed-in requests through: pages redirect to the login page, the API answers 401.
///
/// Future-based, like the other middlewares on every request: it decides without awaiting anything.
struct RequireAccount: Middleware {
    enum Answer { case redirectToLogin, unauthorized }
    let answer: Answer

    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        guard request.auth.has(Account.self) else {
            // The page's script asks for JSON or the lanes fragment: a redirect to the login page
            // would look like success to it, so it gets a 401 it can act on.
            let scripted =
                request.asksFor("application", "json") || request.url.path.hasSuffix("/lanes")
            switch scripted ? .unauthorized : answer {
            case .unauthorized:
                return request.eventLoop.makeFailedFuture(
                    Abort(.unauthorized, reason: "log in, or send Authorization: Bearer with an API token"))
            case .redirectToLogin:
                let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
                let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                return request.eventLoop.makeSucceededFuture(request.redirect(to: "/login?next=\(encoded)"))
            }
        }
        return next.respond(to: request)
    }
}
