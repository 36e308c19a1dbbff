/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its text lines — `250-first` … `250 last`.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    var text: String { lines.joined(separator: " / ") }
    /// 2xx and 3xx: the command went through (354 asks for the message).
    var isPositive: Bool { (200..<400).contains(code) }
    /// 5xx: the relay will never take this; sending again is pointless.
    var isPermanent: Bool { (500..<600).contains(code) }
}

/// Cuts the bytes a relay sends into replies. Bytes arrive in any pieces; a reply is complete at
/// its line with a space (or nothing) after the code.
struct SMTPReplyReader: Sendable {
    private var pending: [UInt8] = []
    private var lines: [String] = []

    /// Whether bytes wait that are not a whole reply yet (after STARTTLS's 220 there must be none:
    /// anything there was sent in clear text before TLS and could be an attacker's).
    var hasPendingBytes: Bool { !pending.isEmpty || !lines.isEmpty }

    mutating func feed(_ bytes: some Sequence<UInt8>) {
        pending.append(contentsOf: bytes)
    }

    /// The next complete reply, nil while more bytes are needed; a line that is no reply line throws.
    mutating func next() throws(MailDeliveryError) -> SMTPReply? {
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard line.count <= 2_000 else { throw .failed("the relay sent a line of \(line.count) bytes") }
            let text = String(decoding: line, as: UTF8.self)
            let digits = text.prefix(3)
            guard digits.count == 3, digits.allSatisfy(\.isASCII), let code = Int(digits), (200..<600).contains(code)
            else { throw .failed("the relay sent something that is no SMTP reply: \(text.prefix(80))") }
            let rest = text.dropFirst(3)
            lines.append(String(rest.dropFirst()))
            if rest.first == "-" { continue }
            let reply = SMTPReply(code: code, lines: lines)
            lines = []
            return reply
        }
        guard pending.count <= 64 * 1024 else { throw .failed("the relay sent 64 KiB without a line break") }
        return nil
    }
}

/// Why a message did not go out.
enum MailDeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The relay refused this message for good (5xx to the recipient or the message): not retried.
    case rejected(String)
    /// Anything else — no connection, TLS, login, a 4xx, a timeout: tried again later.
    case failed(String)

    var description: String {
        switch self {
        case .rejected(let why): "rejected: \(why)"
        case .failed(let why): why
        }
    }
}
