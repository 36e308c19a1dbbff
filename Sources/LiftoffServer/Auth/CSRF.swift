import Foundation
import Vapor

/// Cross-site request forgery protection for cookie sessions: every form and script request that
/// changes something carries the session's token, in the `_csrf` field or the `X-CSRF-Token`
/// header. Requests authenticated by an API token carry no cookie a browser could replay, so they
/// need none.
enum CSRF {
    static let sessionKey = "csrf"
    static let field = "_csrf"
    static let header = "X-CSRF-Token"

    /// The session's token, made on first use (which also starts the session).
    static func token(for request: Request) -> String {
        if let token = request.session.data[sessionKey] { return token }
        let token = randomToken()
        request.session.data[sessionKey] = token
        return token
    }

    static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
            .joined()
    }
}

/// Refuses unsafe requests from a cookie session that do not carry the session's CSRF token.
///
/// Future-based: a safe method or a token request goes straight on; only a cookie session's unsafe
/// request starts a task (it may have to collect the body to find the token).
struct CSRFCheck: Middleware {
    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        let safe: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]
        guard !safe.contains(request.method), request.auth.get(Account.self)?.viaToken != true else {
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask {
            try await Self.check(request)
            return try await next.respond(to: request).get()
        }
    }

    private static func check(_ request: Request) async throws {
        let expected = request.session.data[CSRF.sessionKey]
        var sent = request.headers.first(name: CSRF.header)
        if sent == nil, request.headers.contentType == .urlEncodedForm || request.headers.contentType == .formData {
            // The token is in the body, which the route has not collected yet: collect it here, with
            // the routes' limit, so an oversized form is a 413 rather than a failed CSRF check.
            if request.body.data == nil {
                _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
            }
            sent = try? request.content.get(String.self, at: CSRF.field)
        }
        guard let expected, let sent, AccountMiddleware.constantTimeEqual(expected, sent) else {
            throw Abort(
                .forbidden,
                reason:
                    "the form has expired or did not come from Liftoff (CSRF check); reload the page and try again")
        }
    }
}
