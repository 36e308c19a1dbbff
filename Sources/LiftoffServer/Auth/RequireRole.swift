import Vapor

/// Lets through only accounts of at least this role. Routes are grouped under one of these by the
/// role they need, so a new route gets its guard from where it is registered rather than from a
/// check each handler must remember (docs/web.md, *Security model*).
struct RequireRole: Middleware {
    enum Level: Sendable {
        /// Dispatchers and admins: everyone's Workboards, scheduling settings, reflow.
        case dispatcher
        /// Admins only: the Autotask connection, users, API tokens, the reflow schedule.
        case admin
    }

    let level: Level

    init(_ level: Level) {
        self.level = level
    }

    /// Future-based, like the other middlewares on every request: it decides without awaiting anything.
    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        do {
            let account = try request.account()
            switch level {
            case .dispatcher:
                guard account.canEditScheduling else {
                    throw Abort(.forbidden, reason: "only dispatchers and admins may see or change this")
                }
            case .admin:
                guard account.isAdmin else { throw Abort(.forbidden, reason: "only admins may do this") }
            }
        } catch {
            return request.eventLoop.makeFailedFuture(error)
        }
        return next.respond(to: request)
    }
}
