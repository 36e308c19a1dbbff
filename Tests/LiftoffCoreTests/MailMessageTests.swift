import Foundation
import Testing

@testable import LiftoffCore

/// The booking confirmation as a relay and a mail client read it (docs/booking.md, *Confirmation
/// e-mail*): CRLF everywhere, no long lines, every non-ASCII header encoded, text and attachment
/// intact after base64.
struct MailMessageTests {
    static func message(name: String = "Hannah Hart", subject: String = "Booked: Remote session") -> MailMessage {
        MailMessage(
            from: .init(name: "Demo MSP Dispatch", email: "dispatch@demo-msp.example"),
            to: .init(name: name, email: "hannah@example.com"),
            replyTo: .init(name: "Maria Gonzalez", email: "maria@demo-msp.example"), subject: subject,
            text: "Hello \(name),\n\nyour appointment is booked.\n.\nA line that starts with a dot.\n",
            attachments: [
                .init(
                    filename: "appointment.ics", contentType: "text/calendar; method=PUBLISH; charset=utf-8",
                    data: Data(
                        ("BEGIN:VCALENDAR\r\n" + String(repeating: "X", count: 300) + "\r\nEND:VCALENDAR\r\n").utf8))
            ], date: Date(timeIntervalSince1970: 1_788_858_000), messageID: "0f1e2d3c@demo-msp.example")
    }

    /// Whether `data` travels intact: its base64, once the line breaks are taken out, is in the message.
    static func carries(_ rendered: String, _ data: Data) -> Bool {
        rendered.replacingOccurrences(of: "\r\n", with: "").contains(data.base64EncodedString())
    }

    @Test(arguments: ["Hannah Hart", "Zoë Ó Briain", "अनन्या शर्मा", "O'Neil \"Skip\" Jr.", "李小龙"])
    func everyLineEndsInCRLFAndNothingIsLost(name: String) throws {
        let message = Self.message(name: name, subject: "Booked: Remote session with \(name), Tue 8 Sep 10:00")
        let rendered = message.rendered
        #expect(rendered.hasSuffix("\r\n"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "a bare LF")
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\r"), "a bare CR")
        for line in rendered.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 998)
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "7-bit only: \(line)")
        }
        #expect(Self.carries(rendered, Data(MailMessage.crlf(message.text).utf8)), "the text, with CRLF line ends")
        #expect(Self.carries(rendered, message.attachments[0].data))
        #expect(rendered.contains("Message-ID: <0f1e2d3c@demo-msp.example>\r\n"))
        #expect(rendered.contains("Content-Type: multipart/mixed; boundary="))
    }

    @Test func aPlainHeaderStaysReadableAndAnOtherIsEncoded() throws {
        #expect(MailMessage.encodedWord("Booked: Remote session") == "Booked: Remote session")
        let encoded = MailMessage.encodedWord("Gebucht: Fernwartung mit Zoë, Di 8. Sep. 10:00 – 10:30")
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count >= 2, "long encoded headers fold")
        var decoded = Data()
        for word in words {
            #expect(word.hasPrefix("=?utf-8?B?") && word.hasSuffix("?=") && word.count <= 75)
            decoded.append(try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))))
        }
        #expect(String(decoding: decoded, as: UTF8.self) == "Gebucht: Fernwartung mit Zoë, Di 8. Sep. 10:00 – 10:30")
        // A line break typed into a name cannot start a new header.
        #expect(!MailMessage.encodedWord("Hannah\r\nBcc: x@evil.example").contains("\n"))
        #expect(
            MailMessage.header(.init(name: "O'Neil \"Skip\"", email: "o@example.com"))
                == #""O'Neil \"Skip\"" <o@example.com>"#)
    }

    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 +0000"), (1_788_858_000, "Tue, 08 Sep 2026 09:00:00 +0000"),
        (1_709_164_805, "Thu, 29 Feb 2024 00:00:05 +0000"),
    ])
    func theDateHeaderIsRFC5322(seconds: Double, expected: String) {
        #expect(MailMessage.dateHeader(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
