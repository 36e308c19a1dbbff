import Vapor

/// Headers on every answer, errors included, that close doors a browser would otherwise leave open:
/// no page of Liftoff may be framed by another site (clickjacking a Start or Cancel button), no
/// answer is sniffed into another type, and no URL leaks to other sites in `Referer`.
///
/// A future-based `Middleware`, like the others on every request: Vapor runs each `AsyncMiddleware` in
/// a task of its own, and the hops to and from it were a visible share of every answer's work.
struct SecurityHeaders: Middleware {
    static let headers: [(String, String)] = [
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]

    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            for (name, value) in Self.headers where !response.headers.contains(name: name) {
                response.headers.replaceOrAdd(name: name, value: value)
            }
            return response
        }
    }
}
