import Foundation
import LiftoffCore
import Testing

@testable import LiftoffServer

/// `LIFTOFF_SMTP_URL` and the SMTP conversation's pieces (docs/booking.md, *Confirmation e-mail*). The
/// conversation itself is tested against a real relay with STARTTLS (Tests/Browser/test_booking_mail.py).
struct SMTPClientPartsTests {
    @Test func aRelayURLReadsAsConfigured() throws {
        let starttls = try SMTPConfiguration.parse(
            "smtp://liftoff%40msp:s%3Acret@relay.example.com?from=dispatch@msp.example&fromName=MSP%20Dispatch")
        #expect(starttls.host == "relay.example.com" && starttls.port == 587 && starttls.security == .startTLS)
        #expect(starttls.user == "liftoff@msp" && starttls.password == "s:cret")
        #expect(starttls.from == MailMessage.Address(name: "MSP Dispatch", email: "dispatch@msp.example"))
        #expect(!starttls.summary.contains("s:cret"))
        let tls = try SMTPConfiguration.parse("smtps://relay.example.com", fromAddress: "dispatch@msp.example")
        #expect(tls.port == 465 && tls.security == .implicitTLS && tls.user == nil)
        #expect(try SMTPConfiguration.parse("smtp://relay.example.com:2525?from=a@b.example").port == 2525)
        #expect(try SMTPConfiguration.resolve(environment: [:]) == nil)
    }

    @Test(arguments: [
        ("http://relay.example.com?from=a@b.example", "scheme must be smtp"),
        ("smtp://relay.example.com", "the sender is missing"),
        ("smtp://relay.example.com?from=not-an-address", "is not an e-mail address"),
        ("smtp://user@relay.example.com?from=a@b.example", "both the user and the password"),
        ("smtp://relay.example.com?from=a@b.example&starttls=off", "unknown parameter starttls"),
        ("smtp://u:hunter2@?from=a@b.example", "host is missing"),
    ])
    func aWrongRelayURLIsNamed(url: String, expected: String) {
        do {
            _ = try SMTPConfiguration.parse(url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.message.hasPrefix("LIFTOFF_SMTP_URL: "))
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(!error.message.contains("hunter2"), "the password never appears in an error")
        }
    }

    @Test func aCAFileThatCannotBeReadStopsTheStart() {
        #expect(throws: ConfigurationError.self) {
            try SMTPConfiguration.resolve(environment: [
                "LIFTOFF_SMTP_URL": "smtp://relay.example.com?from=a@b.example",
                "LIFTOFF_SMTP_CA_FILE": "/nonexistent/ca.pem",
            ])
        }
    }

    @Test func repliesAreReadWhateverPiecesTheyArriveIn() throws {
        var reader = SMTPReplyReader()
        let bytes = Array("250-relay.example.com greets you\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n220 go".utf8)
        var replies: [SMTPReply] = []
        for byte in bytes {
            reader.feed([byte])
            while let reply = try reader.next() { replies.append(reply) }
        }
        #expect(
            replies == [SMTPReply(code: 250, lines: ["relay.example.com greets you", "STARTTLS", "AUTH PLAIN LOGIN"])])
        #expect(reader.hasPendingBytes, "an unfinished line waits")
        reader.feed(Array(" ahead\n".utf8))
        #expect(try reader.next() == SMTPReply(code: 220, lines: ["go ahead"]))
        #expect(!reader.hasPendingBytes)
        reader.feed(Array("HTTP/1.1 400 Bad Request\r\n".utf8))
        #expect(throws: MailDeliveryError.self) { try reader.next() }
    }

    @Test(arguments: [
        ("https://liftoff.msp.example/", "https://liftoff.msp.example"),
        ("http://10.0.0.5:8080", "http://10.0.0.5:8080"),
        ("https://msp.example/liftoff//", "https://msp.example/liftoff"),
    ])
    func aPublicURLIsKeptWithoutItsTrailingSlash(text: String, expected: String) throws {
        #expect(try PublicURL.parse(text) == expected)
    }

    @Test(arguments: [
        "liftoff.msp.example", "ftp://msp.example", "https://msp.example/?a=1", "https://u:p@msp.example",
    ])
    func aWrongPublicURLIsNamed(text: String) {
        #expect(throws: ConfigurationError.self) { try PublicURL.parse(text) }
    }

    @Test func aLineThatStartsWithADotGetsAnother() {
        #expect(SMTPClient.dotStuffed("a\r\n.\r\n..b\r\nc.\r\n") == "a\r\n..\r\n...b\r\nc.\r\n")
    }

    @Test(arguments: [
        ("hannah@example.com", true), ("hannah@localhost", false), ("a b@example.com", false),
        ("a@b@example.com", false), ("x>@example.com", false), ("x@example.com\r\nRCPT TO:<y@z.example>", false),
        ("zoë@example.com", false), ("a,b@example.com", false), ("\"a\"@example.com", false),
    ])
    func onlyPlainAddressesAreCarried(address: String, plain: Bool) {
        #expect(SMTPConfiguration.isPlainAddress(address) == plain)
    }
}
