import LiftoffCore

/// An answer other than success, shaped as Autotask shapes it: a status and `{"errors": [...]}`.
struct SandboxError: Error, Sendable {
    let status: Int
    let messages: [String]

    init(_ status: Int, _ messages: String...) {
        self.status = status
        self.messages = messages
    }

    init(status: Int, messages: [String]) {
        self.status = status
        self.messages = messages
    }

    var body: JSONValue { ["errors": .array(messages.map(JSONValue.string))] }

    /// Writes and business rules fail with HTTP 500, as Autotask's do.
    static func validation(_ messages: [String]) -> SandboxError { SandboxError(status: 500, messages: messages) }
}
