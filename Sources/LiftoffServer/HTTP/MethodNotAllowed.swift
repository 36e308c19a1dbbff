import Vapor

/// Answers 405 with `Allow` (RFC 9110) when a path exists but not for this method — `TRACE /`,
/// `DELETE /api/v1/me` — where the router alone would say 404, as if the path did not exist.
struct MethodNotAllowed: Middleware {
    /// Future-based (see ``SecurityHeaders``): only an error is looked at, and without awaiting anything.
    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapErrorThrowing { error in
            // A 404 from a handler (no such technician) is a real 404; only the router's is rethought.
            guard let abort = error as? AbortError, abort.status == .notFound, request.route == nil else {
                throw error
            }
            let allowed = Self.methods(for: request.url.path, in: request.application.routes)
            guard !allowed.isEmpty else { throw error }
            let list = allowed.joined(separator: ", ")
            throw Abort(
                .methodNotAllowed, headers: ["Allow": list],
                reason: "\(request.method.rawValue) is not served at \(request.url.path); use \(list)")
        }
    }

    /// The methods routed for `path` (HEAD wherever GET is, as Vapor answers it).
    static func methods(for path: String, in routes: Routes) -> [String] {
        let parts = path.split(separator: "/").map(String.init)
        var methods = Set<String>()
        for route in routes.all where matches(route.path, parts) {
            methods.insert(route.method.rawValue)
            if route.method == .GET { methods.insert("HEAD") }
        }
        return methods.sorted()
    }

    private static func matches(_ pattern: [PathComponent], _ parts: [String]) -> Bool {
        var index = 0
        for component in pattern {
            switch component {
            case .catchall: return index < parts.count
            case .constant(let text):
                guard index < parts.count, parts[index] == text else { return false }
            case .parameter, .anything:
                guard index < parts.count else { return false }
            }
            index += 1
        }
        return index == parts.count
    }
}
