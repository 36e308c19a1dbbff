import ArgumentParser

/// `LIFTOFF_REFLOW_LEASE_SECONDS`: how long a reflow holds the Store's lease between renewals, so how
/// long a process that died mid-run keeps the others waiting (docs/sync.md). Read the same way by
/// `liftoff serve` and `liftoff reflow`.
enum ReflowLeaseSetting {
    static let defaultSeconds: Double = 120

    static func seconds(_ environment: [String: String]) throws -> Double {
        guard let text = environment["LIFTOFF_REFLOW_LEASE_SECONDS"], !text.isEmpty else { return defaultSeconds }
        guard let seconds = Double(text), seconds >= 1, seconds <= 3600 else {
            throw ValidationError(
                "LIFTOFF_REFLOW_LEASE_SECONDS must be a number of seconds from 1 to 3600, got “\(text)”")
        }
        return seconds
    }
}
