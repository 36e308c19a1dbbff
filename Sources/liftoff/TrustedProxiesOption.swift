import ArgumentParser
import Foundation
import LiftoffServer

/// `--trusted-proxies` / `LIFTOFF_TRUSTED_PROXIES`: the reverse proxies in front of Liftoff, whose
/// `X-Forwarded-For` names the client. Behind a proxy, set it: otherwise every visitor has the
/// proxy's address and the login limit of one address applies to all of them (docs/web.md,
/// *Security model*).
struct TrustedProxiesOption: ParsableArguments {
    @Option(
        name: .customLong("trusted-proxies"),
        help: ArgumentHelp(
            "Reverse proxies whose X-Forwarded-For is believed, as addresses or CIDR ranges (LIFTOFF_TRUSTED_PROXIES).",
            valueName: "10.0.0.0/8,::1"))
    var trustedProxies: String?

    func proxies(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TrustedProxies {
        guard let text = trustedProxies ?? environment["LIFTOFF_TRUSTED_PROXIES"] else { return .none }
        do {
            return try TrustedProxies(text)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
