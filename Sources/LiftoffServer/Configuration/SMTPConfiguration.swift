import Foundation
import LiftoffCore

/// The relay booking confirmations go through (docs/booking.md, *Confirmation e-mail*), from
/// `LIFTOFF_SMTP_URL`:
///
/// - `smtp://user:password@relay.example:587?from=dispatch@msp.example` — STARTTLS, which is required:
///   Liftoff refuses to send a customer's details over a relay that does not offer it;
/// - `smtps://…:465?…` — TLS from the first byte.
///
/// User and password are optional (a relay that trusts the address); when given, Liftoff logs in with
/// AUTH PLAIN, only ever inside TLS. Percent-encode `@`, `:` and `/` in them. `from` is the sender
/// address (`LIFTOFF_SMTP_FROM` sets it too), optionally with `&fromName=…` for the name shown.
/// `LIFTOFF_SMTP_CA_FILE` names a PEM file of certificates to trust besides the system's — a relay
/// with a private certificate authority.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: String, Sendable {
        /// Plain connection upgraded with STARTTLS before anything else is said.
        case startTLS
        /// TLS from the first byte (`smtps`).
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var user: String?
    public var password: String?
    public var from: MailMessage.Address
    public var trustedCertificatesFile: String?

    public init(
        host: String, port: Int, security: Security, user: String? = nil, password: String? = nil,
        from: MailMessage.Address, trustedCertificatesFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
        self.from = from
        self.trustedCertificatesFile = trustedCertificatesFile
    }

    /// What Settings shows: the relay and the sender, never the password.
    public var summary: String {
        "\(security == .startTLS ? "smtp (STARTTLS)" : "smtps") \(host):\(port), from \(from.email)"
    }

    /// The relay `environment` configures; nil when `LIFTOFF_SMTP_URL` is not set. A value that cannot
    /// be used fails the start with a message naming what is wrong.
    public static func resolve(environment: [String: String]) throws(ConfigurationError) -> SMTPConfiguration? {
        guard let text = environment["LIFTOFF_SMTP_URL"], !text.isEmpty else { return nil }
        var configuration = try parse(text, fromAddress: environment["LIFTOFF_SMTP_FROM"])
        if let file = environment["LIFTOFF_SMTP_CA_FILE"], !file.isEmpty {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ConfigurationError(message: "LIFTOFF_SMTP_CA_FILE: \(file) is not a readable file")
            }
            configuration.trustedCertificatesFile = file
        }
        return configuration
    }

    static func parse(_ text: String, fromAddress: String? = nil) throws(ConfigurationError) -> SMTPConfiguration {
        func fail(_ why: String) -> ConfigurationError {
            // Never echo the URL itself: it may hold the relay's password.
            ConfigurationError(message: "LIFTOFF_SMTP_URL: \(why)")
        }
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased() else {
            throw fail("not a URL; use smtp://user:password@host:587?from=dispatch@example.com")
        }
        let security: Security
        switch scheme {
        case "smtp": security = .startTLS
        case "smtps": security = .implicitTLS
        default: throw fail("the scheme must be smtp (STARTTLS) or smtps (TLS), not \(scheme)")
        }
        guard let host = parts.host, !host.isEmpty else { throw fail("the relay's host is missing") }
        let port = parts.port ?? (security == .startTLS ? 587 : 465)
        guard (1...65_535).contains(port) else { throw fail("port \(port) is out of range") }
        let query = Dictionary(
            (parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let unknown = Set(query.keys).subtracting(["from", "fromName"])
        guard unknown.isEmpty else {
            throw fail("unknown parameter \(unknown.sorted().joined(separator: ", ")); only from and fromName")
        }
        guard let from = query["from"] ?? fromAddress, !from.isEmpty else {
            throw fail("the sender is missing: add ?from=dispatch@example.com (or set LIFTOFF_SMTP_FROM)")
        }
        guard Self.isPlainAddress(from) else { throw fail("from: \(from) is not an e-mail address") }
        let user = parts.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        let password = parts.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if (user == nil) != (password == nil) { throw fail("give both the user and the password, or neither") }
        return SMTPConfiguration(
            host: host, port: port, security: security, user: user, password: password,
            from: MailMessage.Address(name: query["fromName"].flatMap { $0.isEmpty ? nil : $0 }, email: from))
    }

    /// An address SMTP can carry in `MAIL FROM:<…>`/`RCPT TO:<…>` and a header as it is: ASCII (no
    /// SMTPUTF8 needed), one `@`, a dot in the domain, nothing that could end the command, the angle
    /// brackets or an address list.
    static func isPlainAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && address.count <= 254
            && address.unicodeScalars.allSatisfy {
                $0.value > 0x20 && $0.value < 0x7F && !#"<>(),;:[]\""#.unicodeScalars.contains($0)
            }
    }
}
