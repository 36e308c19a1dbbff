import Foundation

/// One e-mail as RFC 5322 / MIME text, ready for SMTP's DATA: the booking confirmations Liftoff sends
/// (docs/booking.md, *Confirmation e-mail*).
///
/// Everything a relay or a mail client could misread is encoded, not hoped for: a header with any
/// non-ASCII character becomes an RFC 2047 encoded word, the text and the attachment travel as base64
/// in lines of 76, every line ends in CRLF, and no line is longer than 998 octets. So a customer named
/// "Zoë Ó Briain" or a note in Hindi arrives as typed through any 7-bit relay.
public struct MailMessage: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        public var name: String?
        public var email: String

        public init(name: String? = nil, email: String) {
            self.name = name
            self.email = email
        }
    }

    public struct Attachment: Sendable, Equatable {
        public var filename: String
        /// The MIME type with its parameters, e.g. `text/calendar; method=PUBLISH; charset=utf-8`.
        public var contentType: String
        public var data: Data

        public init(filename: String, contentType: String, data: Data) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: Address
    public var to: Address
    public var replyTo: Address?
    public var subject: String
    public var text: String
    public var attachments: [Attachment]
    public var date: Date
    /// Unique per message; the domain part should be the sender's.
    public var messageID: String

    public init(
        from: Address, to: Address, replyTo: Address? = nil, subject: String, text: String,
        attachments: [Attachment] = [], date: Date, messageID: String
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.attachments = attachments
        self.date = date
        self.messageID = messageID
    }

    /// The message as sent: headers, a blank line, the body; CRLF line ends. The MIME boundary is
    /// derived from the message id, which never appears in base64 text (it holds a character base64
    /// has not).
    public var rendered: String {
        var headers = [
            "From: \(Self.header(from))",
            "To: \(Self.header(to))",
        ]
        if let replyTo { headers.append("Reply-To: \(Self.header(replyTo))") }
        headers += [
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.dateHeader(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
        ]
        let textPart = [
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            Self.base64Lines(Data(Self.crlf(text).utf8)),
        ]
        var lines: [String]
        if attachments.isEmpty {
            lines = headers + textPart
        } else {
            // At most 70 characters (RFC 2046), ASCII only: the id's letters and digits, cut.
            let boundary =
                "=_liftoff_\(String(messageID.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(40)))"
            lines = headers + ["Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "", "--\(boundary)"]
            lines += textPart
            for attachment in attachments {
                lines += [
                    "--\(boundary)",
                    "Content-Type: \(attachment.contentType); name=\"\(attachment.filename)\"",
                    "Content-Disposition: attachment; filename=\"\(attachment.filename)\"",
                    "Content-Transfer-Encoding: base64",
                    "",
                    Self.base64Lines(attachment.data),
                ]
            }
            lines.append("--\(boundary)--")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `"Name" <address>`, the name quoted or encoded as it needs.
    static func header(_ address: Address) -> String {
        guard let name = address.name, !name.isEmpty else { return "<\(address.email)>" }
        let plain = name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }
        let shown =
            plain
            ? "\"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
            : encodedWord(name)
        return "\(shown) <\(address.email)>"
    }

    /// The text as it is when plain ASCII without line breaks, else RFC 2047 encoded words (base64),
    /// each at most 75 characters and split between whole characters, folded onto continuation lines.
    static func encodedWord(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }), flat.count <= 900 {
            return flat
        }
        // 45 bytes of UTF-8 make 60 base64 characters: with "=?utf-8?B?" and "?=" a word stays under 75.
        var words: [String] = []
        var chunk = Data()
        for character in flat {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?utf-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// RFC 5322's date: `Tue, 08 Sep 2026 09:00:00 +0000`.
    static func dateHeader(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }

    /// Base64 in lines of 76 characters, joined by CRLF.
    static func base64Lines(_ data: Data) -> String {
        let text = data.base64EncodedString()
        var lines: [Substring] = []
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: 76, limitedBy: text.endIndex) ?? text.endIndex
            lines.append(text[index..<end])
            index = end
        }
        return lines.joined(separator: "\r\n")
    }

    /// Every line break as CRLF.
    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }
}
