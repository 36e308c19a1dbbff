import Testing

@testable import LiftoffServer

/// Which `X-Forwarded-For` address Liftoff believes: only what a trusted proxy says, read from the
/// right, so a client cannot choose its own address by writing the header itself.
@Suite struct TrustedProxiesTests {
    static let proxies = try! TrustedProxies("10.0.0.0/8, 192.168.1.1, ::1, fd00::/8")

    @Test(arguments: [
        // A stranger's header is ignored.
        ("203.0.113.9", ["198.51.100.2"], "203.0.113.9"),
        // From the proxy: the client it saw.
        ("10.1.2.3", ["198.51.100.2"], "198.51.100.2"),
        // A forged first entry is skipped: the nearest untrusted hop counts.
        ("10.1.2.3", ["1.1.1.1, 198.51.100.2"], "198.51.100.2"),
        // Two proxies in a row, both trusted.
        ("10.1.2.3", ["198.51.100.2, 192.168.1.1"], "198.51.100.2"),
        ("::1", ["2001:db8::7"], "2001:db8::7"),
        ("fd12::1", ["198.51.100.2", "10.0.0.4"], "198.51.100.2"),
        // An IPv4-mapped IPv6 peer is the IPv4 proxy.
        ("::ffff:10.0.0.1", ["198.51.100.2"], "198.51.100.2"),
        // Garbage in the header: the proxy's own address, not the garbage.
        ("10.1.2.3", ["not-an-address"], "10.1.2.3"),
        ("10.1.2.3", [], "10.1.2.3"),
    ])
    func theClientIsWhoTheNearestTrustedProxySays(_ peer: String, _ header: [String], _ client: String) {
        #expect(Self.proxies.clientAddress(peer: peer, forwardedFor: header) == client)
    }

    @Test func withoutTrustedProxiesThePeerIsTheClient() {
        #expect(TrustedProxies.none.clientAddress(peer: "10.1.2.3", forwardedFor: ["198.51.100.2"]) == "10.1.2.3")
        #expect(TrustedProxies.none.clientAddress(peer: nil, forwardedFor: ["198.51.100.2"]) == "unknown")
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0", "300.1.1.1", "fe80::/129", "::1::2", "10.0.0.1/x", "01.2.3.4"])
    func aRangeThatIsNotOneIsRefusedByName(_ text: String) {
        let error = #expect(throws: ConfigurationError.self) { try TrustedProxies("127.0.0.1, \(text)") }
        #expect(error?.description.contains("\"\(text)\"") == true, "\(String(describing: error))")
    }

    @Test func rangesMatchByTheirPrefix() throws {
        let range = try #require(IPRange("192.168.4.0/22"))
        #expect(range.contains(IPRange.bytes(of: "192.168.7.255")!))
        #expect(!range.contains(IPRange.bytes(of: "192.168.8.0")!))
        #expect(!range.contains(IPRange.bytes(of: "::1")!))
        let v6 = try #require(IPRange("2001:db8::/32"))
        #expect(v6.contains(IPRange.bytes(of: "2001:db8:ffff::1")!))
        #expect(!v6.contains(IPRange.bytes(of: "2001:db9::1")!))
    }
}
