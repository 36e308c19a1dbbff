import Foundation
import LiftoffCore
import NIOCore
import NIOPosix
import NIOSSL

/// Where a mail goes out; the booking mailer is tested with a recording one.
protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws(MailDeliveryError)
}

/// Sends one message per connection to the configured relay (``SMTPConfiguration``): EHLO, STARTTLS
/// (required for `smtp://`: the relay must offer it, or nothing is sent), EHLO again, AUTH PLAIN when
/// a user is configured, MAIL FROM, RCPT TO, DATA, QUIT.
///
/// There is no SMTP package among Liftoff's dependencies, and the conversation is small: SwiftNIO's
/// async channel carries it and NIOSSL adds TLS in place when the relay says 220 to STARTTLS. The
/// whole conversation has one deadline; when it passes the connection is closed and the mail is tried
/// again later (``BookingMailer``).
struct SMTPClient: MailTransport {
    let configuration: SMTPConfiguration
    var deadline: TimeAmount = .seconds(60)

    func send(_ message: MailMessage) async throws(MailDeliveryError) {
        for address in [message.from.email, message.to.email] where !SMTPConfiguration.isPlainAddress(address) {
            throw .rejected("\(address) is not an address SMTP can carry")
        }
        do {
            try await converse(message)
        } catch let error as MailDeliveryError {
            throw error
        } catch let error as NIOSSLError {
            throw .failed("TLS with \(configuration.host) failed: \(error)")
        } catch {
            throw .failed("\(configuration.host):\(configuration.port): \(error)")
        }
    }

    private func tlsContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let file = configuration.trustedCertificatesFile {
            tls.additionalTrustRoots = [.file(file)]
        }
        return try NIOSSLContext(configuration: tls)
    }

    /// SNI and the certificate's name: the host, unless it is an IP address (then the certificate must
    /// name that address).
    private var serverHostname: String? {
        let host = configuration.host
        return host.contains(":") || host.split(separator: ".").allSatisfy({ Int($0) != nil }) ? nil : host
    }

    private func converse(_ message: MailMessage) async throws {
        let context = try tlsContext()
        let hostname = serverHostname
        let implicit = configuration.security == .implicitTLS
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(15))
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicit {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: context, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(InboundByteCounter())
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        // One deadline for the whole conversation: closing the channel ends the reads below.
        let timeout = channel.channel.eventLoop.scheduleTask(in: deadline) { channel.channel.close(promise: nil) }
        defer { timeout.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var session = Session(inbound: inbound.makeAsyncIterator(), outbound: outbound, host: configuration.host)
            try session.expect(await session.reply(), "the greeting", 220)
            var capabilities = try await session.hello()
            if !implicit {
                guard capabilities.contains("STARTTLS") else {
                    throw MailDeliveryError.failed(
                        "\(configuration.host) does not offer STARTTLS; Liftoff sends no customer's details in clear text"
                    )
                }
                try session.expect(await session.command("STARTTLS"), "STARTTLS", 220)
                // Anything the relay sent after its 220 came in clear text and could be an attacker's
                // (faked replies read as if over TLS): whether still in the reader or received but not
                // read yet, it fails the mail. Checked and TLS added in one event-loop turn, so no byte
                // slips between.
                let injected = MailDeliveryError.failed(
                    "\(configuration.host) sent more after STARTTLS's reply; not trusted")
                guard !session.reader.hasPendingBytes else { throw injected }
                let read = session.bytesRead
                let clean = try await channel.channel.eventLoop.submit {
                    // Closed meanwhile (the deadline, or the relay hung up): its handlers are gone.
                    guard channel.channel.isActive else {
                        throw MailDeliveryError.failed("\(configuration.host) closed the connection (or it timed out)")
                    }
                    let counter = try channel.channel.pipeline.syncOperations.handler(type: InboundByteCounter.self)
                    guard counter.count == read else { return false }
                    try channel.channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: hostname), position: .first)
                    return true
                }.get()
                guard clean else { throw injected }
                capabilities = try await session.hello()
            }
            if let user = configuration.user, let password = configuration.password {
                guard capabilities.contains(where: { $0.hasPrefix("AUTH") && $0.contains("PLAIN") }) else {
                    throw MailDeliveryError.failed("\(configuration.host) offers no AUTH PLAIN for the configured user")
                }
                let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
                let reply = try await session.command("AUTH PLAIN \(token)")
                // Only the code: a relay that echoes the command would put the password in the log.
                guard reply.code == 235 else {
                    throw MailDeliveryError.failed("\(configuration.host) refused the login as \(user) (\(reply.code))")
                }
            }
            try session.expect(await session.command("MAIL FROM:<\(message.from.email)>"), "MAIL FROM", 250)
            let recipient = try await session.command("RCPT TO:<\(message.to.email)>")
            if recipient.isPermanent {
                throw MailDeliveryError.rejected("\(message.to.email): \(recipient.code) \(recipient.text)")
            }
            try session.expect(recipient, "RCPT TO", 250, 251)
            try session.expect(await session.command("DATA"), "DATA", 354)
            let accepted = try await session.command(Self.dotStuffed(message.rendered) + ".")
            if accepted.isPermanent {
                throw MailDeliveryError.rejected("the message: \(accepted.code) \(accepted.text)")
            }
            try session.expect(accepted, "the message", 250)
            // The mail is the relay's now; a QUIT that goes wrong changes nothing.
            _ = try? await session.command("QUIT")
        }
    }

    /// The message for DATA: a line that starts with "." gets another (RFC 5321 §4.5.2).
    static func dotStuffed(_ rendered: String) -> String {
        rendered.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
    }

    /// One conversation's reading and writing.
    private struct Session {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        let host: String
        var reader = SMTPReplyReader()
        /// Every byte read from the channel, to compare with what arrived (``InboundByteCounter``).
        var bytesRead = 0

        mutating func reply() async throws -> SMTPReply {
            while true {
                if let reply = try reader.next() { return reply }
                guard let bytes = try await inbound.next() else {
                    throw MailDeliveryError.failed("\(host) closed the connection (or it timed out)")
                }
                bytesRead += bytes.readableBytes
                reader.feed(bytes.readableBytesView)
            }
        }

        mutating func command(_ line: String) async throws -> SMTPReply {
            do {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
            } catch {
                // The channel closed under the write; why (a failed TLS handshake, the relay's last
                // reply) waits in the inbound stream, and says more than "I/O on closed channel".
                _ = try await reply()
                throw error
            }
            return try await reply()
        }

        /// EHLO; the capabilities the relay lists, upper-cased.
        mutating func hello() async throws -> [String] {
            let name = ProcessInfo.processInfo.hostName
            let reply = try await command("EHLO \(name.contains(".") ? name : "liftoff.localdomain")")
            try expect(reply, "EHLO", 250)
            return reply.lines.dropFirst().map { $0.uppercased() }
        }

        func expect(_ reply: SMTPReply, _ step: String, _ codes: Int...) throws {
            guard codes.contains(reply.code) else {
                throw MailDeliveryError.failed("\(host) answered \(step) with \(reply.code) \(reply.text)")
            }
        }
    }
}

/// Counts the bytes that reach the async channel, so the client can tell whether the relay sent
/// anything it has not read yet when it switches to TLS.
private final class InboundByteCounter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private(set) var count = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        count += unwrapInboundIn(data).readableBytes
        context.fireChannelRead(data)
    }
}
