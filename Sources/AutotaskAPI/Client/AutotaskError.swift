/// Everything that can go wrong talking to Autotask, with Autotask's own messages kept.
public enum AutotaskError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Autotask refused the request's content (HTTP 500 with an `errors` list on a write, or a query
    /// Autotask could not run). Retrying the same request will fail the same way.
    case validation(messages: [String], status: Int)
    /// No such record or route (HTTP 404, or a delete of a missing record).
    case notFound(String)
    /// Bad user name or secret (HTTP 401), or an unknown integration code.
    case authentication(String)
    /// Autotask refused a fourth concurrent request to one endpoint; it was not executed.
    case threadLimit(String)
    /// The tenant's hourly request budget is used up; Autotask refuses calls until usage falls.
    case budgetExhausted(String)
    /// The client itself held back a request of this priority to keep budget for urgent work.
    case budgetReserved(used: Int, threshold: Int)
    /// The network failed or the request timed out before an answer came.
    case transport(String)
    /// A create failed in a way that leaves unknown whether Autotask applied it (timeout, dropped
    /// connection, server error). The caller must look the record up before creating it again.
    case outcomeUnknown(String)
    /// Autotask answered something this client does not understand.
    case unexpectedResponse(status: Int, body: String)

    public var description: String {
        switch self {
        case .validation(let messages, let status):
            return "Autotask refused the request (HTTP \(status)): " + messages.joined(separator: "; ")
        case .notFound(let message): return "not found: \(message)"
        case .authentication(let message):
            return "authentication failed: \(message) — check the API user name, secret and integration code"
        case .threadLimit(let message): return "Autotask thread limit: \(message)"
        case .budgetExhausted(let message): return "Autotask's hourly request budget is exhausted: \(message)"
        case .budgetReserved(let used, let threshold):
            return "request held back: \(used) of \(threshold) requests used this hour are kept for urgent work"
        case .transport(let message): return "could not reach Autotask: \(message)"
        case .outcomeUnknown(let message): return "unknown whether Autotask applied the create: \(message)"
        case .unexpectedResponse(let status, let body):
            return "unexpected answer from Autotask (HTTP \(status)): \(body.prefix(300))"
        }
    }

    /// Whether the request may simply be sent again.
    var isTransient: Bool {
        switch self {
        case .threadLimit, .transport: return true
        case .unexpectedResponse(let status, _): return status >= 500
        default: return false
        }
    }
}
