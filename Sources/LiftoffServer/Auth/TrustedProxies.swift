import Foundation
import Vapor

/// The reverse proxies (`--trusted-proxies`, `LIFTOFF_TRUSTED_PROXIES`) whose `X-Forwarded-For` Liftoff
/// believes when it needs a client's address: for the login limit and the log.
///
/// Without it the client is the TCP peer, which behind a proxy is the proxy itself, so every visitor
/// shares one address and twenty bad logins by anyone would make everyone wait. Only a peer in the
/// list may name the client; anyone else could write any address into the header.
public struct TrustedProxies: Sendable, Equatable {
    public let ranges: [IPRange]

    public static let none = TrustedProxies(ranges: [])

    public init(ranges: [IPRange]) {
        self.ranges = ranges
    }

    /// Reads a comma-separated list of addresses and CIDR ranges: `10.0.0.0/8, 127.0.0.1, ::1, fd00::/8`.
    public init(_ text: String) throws(ConfigurationError) {
        var ranges: [IPRange] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let range = IPRange(item) else {
                throw ConfigurationError(
                    message: "--trusted-proxies: \"\(item)\" is not an IP address or a CIDR range such as 10.0.0.0/8")
            }
            ranges.append(range)
        }
        self.ranges = ranges
    }

    func contains(_ address: String) -> Bool {
        guard let bytes = IPRange.bytes(of: address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The client's address: the peer's, or — when the peer is a trusted proxy — the nearest address in
    /// `X-Forwarded-For` that is not itself a trusted proxy (read from the right, where each proxy
    /// appends the address it saw).
    func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer else { return "unknown" }
        guard contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard IPRange.bytes(of: hop) != nil else { return peer }
            if !contains(hop) { return hop }
        }
        return hops.first ?? peer
    }
}

/// An IPv4 or IPv6 address or CIDR range.
public struct IPRange: Sendable, Equatable, CustomStringConvertible {
    let network: [UInt8]
    let prefixLength: Int
    public let description: String

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let bytes = Self.bytes(of: String(parts[0])) else { return nil }
        let length: Int
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...(bytes.count * 8)).contains(given) else { return nil }
            length = given
        } else {
            length = bytes.count * 8
        }
        network = bytes
        prefixLength = length
        description = text
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        var left = prefixLength
        for (a, b) in zip(address, network) where left > 0 {
            let bits = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != b & mask { return false }
            left -= bits
        }
        return true
    }

    /// The 4 or 16 bytes of an address in text (an IPv4-mapped IPv6 address reads as IPv4), or nil.
    static func bytes(of text: String) -> [UInt8]? {
        if let v4 = ipv4(Substring(text)) { return v4 }
        guard var v6 = ipv6(text) else { return nil }
        if v6[0..<10].allSatisfy({ $0 == 0 }), v6[10] == 0xFF, v6[11] == 0xFF { v6 = Array(v6[12...]) }
        return v6
    }

    private static func ipv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                let value = UInt8(part), part.count == 1 || part.first != "0"
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func ipv6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }  // a zone id: fe80::1%eth0
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2, !text.isEmpty else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = ipv4(piece) {
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}

extension Request {
    /// The client's address as ``TrustedProxies`` reads it; the login limit keys on it.
    var clientAddress: String {
        let proxies = application.storage[LiftoffRuntimeKey.self]?.trustedProxies ?? .none
        return proxies.clientAddress(
            peer: remoteAddress?.ipAddress, forwardedFor: headers[HTTPHeaders.Name("X-Forwarded-For")])
    }
}
