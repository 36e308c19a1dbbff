/// SplitMix64: tiny, fast and fully specified, so the same seed yields the same sequence on every
/// platform and Swift version (the standard library's generators and shuffles promise neither).
///
/// Deterministic, not a source of randomness: the demo MSP and the day simulator derive their
/// worlds from it, so the same seed always gives the same tenant and the same week.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's output function; also folds several keys into one seed.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in 0..<1 from the top 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform integer in `range`; the modulo bias is far below anything a demo or a simulation
    /// could show.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// One of `choices`, each as likely as its weight.
    public mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
        var ticket = int(0...(choices.reduce(0) { $0 + $1.1 } - 1))
        for (value, weight) in choices {
            if ticket < weight { return value }
            ticket -= weight
        }
        return choices[choices.count - 1].0
    }
}
