import Foundation
import LiftoffCore
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import LiftoffServer

/// A relay on loopback that answers each command line from a script, in clear text: what a broken or
/// hostile relay does, which aiosmtpd (Tests/Browser/test_booking_mail.py) will not.
struct ScriptedRelay {
    let port: Int
    let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

    /// `greeting` is sent on connect (nil: nothing, ever); `answer` replies to each line (nil closes).
    static func start(greeting: String?, answer: @escaping @Sendable (String) -> String?) async throws -> ScriptedRelay
    {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = try #require(server.channel.localAddress?.port)
        Task {
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    Task { try await serve(connection, greeting: greeting, answer: answer) }
                }
            }
        }
        return ScriptedRelay(port: port, server: server)
    }

    private static func serve(
        _ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, greeting: String?,
        answer: @Sendable (String) -> String?
    ) async throws {
        try await connection.executeThenClose { input, output in
            guard let greeting else {
                for try await _ in input {}
                return
            }
            try await output.write(ByteBuffer(string: greeting))
            var pending = ""
            for try await chunk in input {
                // A TLS record (a ClientHello after STARTTLS) has no line end: answered as one line.
                if chunk.readableBytesView.first == 0x16 {
                    guard let reply = answer("<TLS handshake>") else { return }
                    try await output.write(ByteBuffer(string: reply))
                    return
                }
                pending += String(buffer: chunk)
                while let end = pending.range(of: "\r\n") {
                    let line = String(pending[..<end.lowerBound])
                    pending.removeSubrange(..<end.upperBound)
                    guard let reply = answer(line) else { return }
                    try await output.write(ByteBuffer(string: reply))
                }
            }
        }
    }

    func stop() async {
        try? await server.channel.close()
    }

    func client(_ security: SMTPConfiguration.Security = .startTLS, deadline: TimeAmount = .seconds(10)) -> SMTPClient {
        SMTPClient(
            configuration: SMTPConfiguration(
                host: "127.0.0.1", port: port, security: security, user: "liftoff", password: "secret",
                from: .init(email: "dispatch@msp.example")),
            deadline: deadline)
    }
}

/// The SMTP client refuses what it must (issue 13: STARTTLS required): no STARTTLS, bytes injected
/// before TLS, a relay that cannot do TLS, a relay that says nothing — each a clear failure to try
/// again later, and nothing sent in clear text.
struct SMTPClientTests {
    static let message = MailMessage(
        from: .init(email: "dispatch@msp.example"), to: .init(name: "Hannah", email: "hannah@example.com"),
        subject: "Booked", text: "Hello", date: Date(timeIntervalSince1970: 0), messageID: "1@msp.example")

    /// Sends the message and answers the failure, with every line the relay saw.
    static func failure(
        greeting: String? = "220 relay.example ESMTP\r\n", security: SMTPConfiguration.Security = .startTLS,
        deadline: TimeAmount = .seconds(10), answer: @escaping @Sendable (String) -> String?
    ) async throws -> (MailDeliveryError, [String]) {
        let seen = SeenLines()
        let relay = try await ScriptedRelay.start(greeting: greeting) { line in
            seen.add(line)
            return answer(line)
        }
        defer { Task { await relay.stop() } }
        do {
            try await relay.client(security, deadline: deadline).send(message)
            Issue.record("the message was sent")
            return (.failed(""), seen.lines)
        } catch {
            return (error, seen.lines)
        }
    }

    @Test func aRelayWithoutSTARTTLSGetsNothing() async throws {
        let (error, seen) = try await Self.failure { line in
            line.hasPrefix("EHLO") ? "250-relay.example\r\n250 AUTH PLAIN\r\n" : nil
        }
        #expect(error.description.contains("does not offer STARTTLS"), "\(error)")
        #expect(
            !seen.contains { $0.hasPrefix("AUTH") || $0.hasPrefix("MAIL") }, "no password or mail in clear: \(seen)")
    }

    @Test func bytesSentBeforeTheTLSHandshakeAreRefused() async throws {
        let (error, seen) = try await Self.failure { line in
            switch line {
            case let hello where hello.hasPrefix("EHLO"): "250-relay.example\r\n250 STARTTLS\r\n"
            case "STARTTLS": "220 go ahead\r\n250 injected\r\n"
            default: nil
            }
        }
        #expect(error.description.contains("sent more after STARTTLS"), "\(error)")
        #expect(seen.count == 2, "nothing after STARTTLS: \(seen)")
    }

    @Test func aRelayThatCannotDoTLSFailsTheHandshake() async throws {
        // The relay answers the ClientHello at once, so the handshake fails long before the deadline,
        // even on a loaded machine.
        let (error, seen) = try await Self.failure(deadline: .seconds(60)) { line in
            switch line {
            case let hello where hello.hasPrefix("EHLO"): "250-relay.example\r\n250 STARTTLS\r\n"
            case "STARTTLS": "220 go ahead\r\n"
            default: "500 what?\r\n"
            }
        }
        guard case .failed(let why) = error else {
            Issue.record("a TLS failure is tried again later, not given up: \(error)")
            return
        }
        #expect(why.hasPrefix("TLS with 127.0.0.1 failed"), "the handshake failed, not the deadline: \(why)")
        #expect(seen.contains("<TLS handshake>"))
        #expect(!seen.contains { $0.hasPrefix("AUTH") || $0.hasPrefix("MAIL") }, "\(seen)")
    }

    @Test func aSilentRelayTimesOut() async throws {
        let (error, _) = try await Self.failure(greeting: nil, deadline: .milliseconds(300)) { _ in nil }
        #expect(error.description.contains("closed the connection (or it timed out)"), "\(error)")
    }

    @Test func repliesSayWhetherToTryAgain() {
        // No TLS in this scripted relay, so a refused recipient is checked where the client reads it:
        // the classification of replies (``BookingMailTests`` checks what the mailer does with each).
        #expect(SMTPReply(code: 550, lines: ["no such user"]).isPermanent)
        #expect(!SMTPReply(code: 451, lines: ["try later"]).isPermanent)
        #expect(SMTPReply(code: 354, lines: ["go"]).isPositive)
    }
}

/// The lines a scripted relay saw, from its event loop.
final class SeenLines: Sendable {
    private let storage = Mutex<[String]>([])
    func add(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}
