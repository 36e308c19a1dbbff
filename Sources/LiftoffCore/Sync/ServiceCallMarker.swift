/// The mark Liftoff writes into the description of every service call it creates, such as
/// `[liftoff:c0ffee42]`.
///
/// It lets import tell Liftoff's own calls from everyone else's (TimeZest's, a dispatcher's), and it
/// makes creation idempotent: the token is chosen before the create is sent, so after an unknown
/// outcome (timeout, dropped connection, crash) Liftoff looks the call up by its marker instead of
/// creating a second one.
public struct ServiceCallMarker: Hashable, Sendable, CustomStringConvertible {
    /// Letters, digits and dashes, 1…64 of them.
    public let token: String

    public init?(token: String) {
        guard (1...64).contains(token.utf8.count),
            token.utf8.allSatisfy({
                $0 == UInt8(ascii: "-") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0)
            })
        else { return nil }
        self.token = token
    }

    /// The text as it appears in a description.
    public var description: String { "[liftoff:\(token)]" }

    /// The marker in `text`, if it has one.
    public static func find(in text: String?) -> ServiceCallMarker? {
        guard let text, let open = text.range(of: "[liftoff:") else { return nil }
        guard let close = text[open.upperBound...].firstIndex(of: "]") else { return nil }
        return ServiceCallMarker(token: String(text[open.upperBound..<close]))
    }
}
