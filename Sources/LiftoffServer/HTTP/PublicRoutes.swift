import Fluent
import Foundation
import Vapor

/// What needs no account: the health check, the login page and the shipped stylesheet and script.
struct PublicRoutes: RouteCollection {
    let runtime: LiftoffRuntime
    func boot(routes: RoutesBuilder) throws {
        routes.get("health") { _ in "ok" }
        routes.get("assets", ":file", use: asset)
        let forms = routes.grouped(CSRFCheck())
        routes.get("login", use: loginPage)
        forms.post("login", use: login)
        forms.post("logout", use: logout)
    }

    struct LoginContext: Encodable {
        var title = "Log in"
        var csrf: String
        var next: String
        var error: String?
        var username: String
    }

    @Sendable func loginPage(_ request: Request) async throws -> View {
        let next = Self.safeNext(try? request.query.get(String.self, at: "next"))
        return try await request.view.render(
            "login", LoginContext(csrf: CSRF.token(for: request), next: next, error: nil, username: ""))
    }

    struct LoginForm: Content {
        var username: String
        var password: String
        var next: String?
    }

    @Sendable func login(_ request: Request) async throws -> Response {
        let form = try request.decodeBody(LoginForm.self)
        let address = request.clientAddress
        let now = runtime.clock.now()
        let limit = runtime.loginLimit
        if let wait = try await limit.wait(username: form.username, address: address, now: now, on: request.db) {
            let minutes = Int((wait / 60).rounded(.up))
            let view = try await request.view.render(
                "login",
                LoginContext(
                    csrf: CSRF.token(for: request), next: Self.safeNext(form.next),
                    error: "Too many failed logins for this user from here. Try again in \(minutes) minute"
                        + (minutes == 1 ? "" : "s") + ", or ask an admin to set a new password.",
                    username: form.username))
            let response = try await view.encodeResponse(for: request)
            response.status = .tooManyRequests
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            return response
        }
        guard let user = try await Accounts.verify(username: form.username, password: form.password, on: request.db)
        else {
            try await limit.failed(username: form.username, address: address, now: now, on: request.db)
            request.logger.notice("failed login", metadata: ["username": "\(form.username)", "address": "\(address)"])
            let view = try await request.view.render(
                "login",
                LoginContext(
                    csrf: CSRF.token(for: request), next: Self.safeNext(form.next),
                    error: "That user name and password do not match. Check both and try again.",
                    username: form.username))
            let response = try await view.encodeResponse(for: request)
            response.status = .unauthorized
            return response
        }
        try await limit.succeeded(username: form.username, address: address, on: request.db)
        // A fresh session id on login, so a session planted before it is worth nothing.
        if let old = request.session.id {
            try? await request.application.sessions.driver.deleteSession(old, for: request).get()
            request.session.id = nil
        }
        request.session.data["userID"] = user.id?.uuidString
        request.session.data[CSRF.sessionKey] = CSRF.randomToken()
        SessionValidity.stamp(request.session, for: user, now: now)
        return request.redirect(to: Self.safeNext(form.next), redirectType: .normal)
    }

    @Sendable func logout(_ request: Request) async throws -> Response {
        request.session.destroy()
        return request.redirect(to: "/login", redirectType: .normal)
    }

    /// Only paths on this site: never an absolute URL an attacker could send people to. Control
    /// characters are refused outright, because browsers drop them (`/\t/evil` becomes `//evil`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }),
            let components = URLComponents(string: next), components.scheme == nil, components.host == nil,
            !components.path.hasPrefix("//")
        else { return "/" }
        return next
    }

    static let assetTypes = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]

    @Sendable func asset(_ request: Request) async throws -> Response {
        guard let file = request.parameters.get("file"),
            file.range(of: "^[a-z0-9-]+\\.(css|js)$", options: .regularExpression) != nil,
            let path = Bundle.module.resourcePath.map({ $0 + "/Public/" + file }),
            let data = FileManager.default.contents(atPath: path)
        else {
            throw Abort(.notFound)
        }
        let type = Self.assetTypes[String(file.split(separator: ".").last ?? "")] ?? "application/octet-stream"
        return Response(
            status: .ok, headers: ["Content-Type": type, "Cache-Control": "no-cache"], body: .init(data: data))
    }
}

/// Errors as a page for browsers and as JSON (`{"error": true, "reason": …}`) for everything else.
///
/// Future-based (see ``SecurityHeaders``): a task is started only for an error, whose page is rendered
/// asynchronously.
struct PageErrorMiddleware: Middleware {
    let environment: Environment

    /// Vapor's own error shape, so clients written for Vapor read it.
    struct ErrorBody: Encodable {
        var error = true
        var reason: String
    }

    struct ErrorContext: Encodable {
        var title: String
        var status: Int
        var reason: String
    }

    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            request.eventLoop.makeFutureWithTask { try await self.answer(error, to: request) }
        }
    }

    /// The error as a page or JSON; only errors get here, so only they pay for a task.
    private func answer(_ error: Error, to request: Request) async throws -> Response {
        let status: HTTPResponseStatus
        let reason: String
        var headers: HTTPHeaders = [:]
        if StoreContention.isBusy(error) {
            status = .serviceUnavailable
            reason = "the Store is busy with another change; try again in a moment"
            headers.replaceOrAdd(name: .retryAfter, value: "1")
            request.logger.warning("the Store stayed busy", metadata: ["error": "\(error)"])
        } else if let decoding = error as? DecodingError {
            // Vapor's own decoding (queries, forms) would show the decoder's debug text.
            status = .badRequest
            reason = BadInput.describe(decoding, body: request.body.data)
        } else if let abort = error as? AbortError {
            status = abort.status
            // Vapor's own 413 (a body over the route's limit) carries only the status's name.
            reason = Self.plainReason(for: abort, path: request.url.path)
            headers = abort.headers
        } else {
            status = .internalServerError
            reason = "something went wrong on the server; the log has the details"
            request.logger.report(error: error)
        }
        // Browsers get a page (also for a refused form post); scripts and the API get JSON.
        let wantsPage =
            !request.url.path.hasPrefix("/api/") && request.asksFor("text", "html")
        if wantsPage,
            let view = try? await request.view.render(
                "error",
                ErrorContext(
                    title: Self.title(for: status), status: Int(status.code), reason: reason))
        {
            let response = try await view.encodeResponse(for: request)
            response.status = status
            for (name, value) in headers where name.lowercased() != "content-type" {
                response.headers.replaceOrAdd(name: name, value: value)
            }
            return response
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes  // reasons quote paths; keep them readable
        let body = try encoder.encode(ErrorBody(reason: reason))
        headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(data: body))
    }
}

extension PageErrorMiddleware {
    /// Vapor's own aborts (no route, a body over the limit) carry only the status's name, which tells
    /// a reader nothing; they get a sentence that says what happened and what to do.
    static func plainReason(for abort: any AbortError, path: String) -> String {
        guard abort.reason == abort.status.reasonPhrase else { return abort.reason }
        switch abort.status {
        case .notFound:
            let shown = String(path.prefix(120))
            return path.hasPrefix("/api/")
                ? "there is no API route at \(shown); the routes are listed in /api/v1/openapi.json"
                : "there is no page at \(shown). The Workboard, the Calendar and Settings are in the menu; a link someone sent may be out of date."
        case .payloadTooLarge: return "the body is too large for this form or route; send less"
        default: return abort.reason
        }
    }

    /// The heading of an error page: the status in words a dispatcher reads, with its code.
    static func title(for status: HTTPResponseStatus) -> String {
        let words: String
        switch status {
        case .notFound: words = "Page not found"
        case .forbidden: words = "Not allowed"
        case .unauthorized: words = "Please log in"
        case .badRequest: words = "Something in the request is not right"
        case .tooManyRequests: words = "Too many attempts"
        case .serviceUnavailable: words = "Not available right now"
        case .internalServerError: words = "Something went wrong"
        default: words = status.reasonPhrase
        }
        return "\(words) (\(status.code))"
    }
}

extension Request {
    /// Whether the Accept header names this media type itself. Vapor's media-type equality lets
    /// `*/*` match anything, and every browser navigation sends `*/*`, so a wildcard must not count.
    func asksFor(_ type: String, _ subType: String) -> Bool {
        headers.accept.contains { $0.mediaType.type == type && $0.mediaType.subType == subType }
    }
}
