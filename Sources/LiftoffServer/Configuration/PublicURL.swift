import Foundation

/// `LIFTOFF_PUBLIC_URL`: the address customers and calendars reach this Liftoff at, such as
/// `https://liftoff.msp.example`. Booking links, feed addresses and the link in confirmation e-mails
/// use it; without it they take the address from the request (the Host header, and the scheme a
/// trusted proxy forwards), which is right for one instance reached one way.
public enum PublicURL {
    public static func resolve(environment: [String: String]) throws(ConfigurationError) -> String? {
        guard let text = environment["LIFTOFF_PUBLIC_URL"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty
        else { return nil }
        return try parse(text)
    }

    static func parse(_ text: String) throws(ConfigurationError) -> String {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty,
            parts.query == nil, parts.fragment == nil, parts.user == nil
        else {
            throw ConfigurationError(
                message: "LIFTOFF_PUBLIC_URL: \(text) is not an http(s) address such as https://liftoff.msp.example")
        }
        var path = parts.path
        while path.hasSuffix("/") { path.removeLast() }
        return "\(scheme)://\(host)\(parts.port.map { ":\($0)" } ?? "")\(path)"
    }
}
