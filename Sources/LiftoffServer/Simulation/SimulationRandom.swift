/// The simulated world's dice: SplitMix64, fully specified, so a seed gives the same week on every
/// platform and Swift version (the standard library's generators promise neither).
///
/// There is no shared stream. Each choice takes a generator of its own, made from the seed and what
/// the choice is about — a kind of event and the day, tick and technician it happens at, or the
/// ticket an activity is for. So the placements being compared live through the same world as far as
/// it can be the same: a booking that finds no slot in one mode does not shift every later coin toss,
/// and an activity takes as long to work whenever it is picked up.
struct SimulationRandom {
    private var state: UInt64

    /// A generator for one choice: `kind` names the sort of event, `keys` where and when it happens.
    init(seed: UInt64, _ kind: Kind, _ keys: Int...) {
        var state = Self.mix(seed ^ 0x4C49_4654_4F46_4653)
        state = Self.mix(state ^ kind.rawValue)
        for key in keys { state = Self.mix(state ^ UInt64(bitPattern: Int64(key))) }
        self.state = state
    }

    /// What a generator is for; the raw values are part of the seed's meaning, so they never change.
    enum Kind: UInt64 {
        case newTicket = 1, booking, cancellation, pressesStart, workFactor, completion
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's output function, also used to fold the keys into a starting state.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in 0..<1 from the top 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// A uniform integer in `range`; the modulo bias is far below anything the figures could show.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// One of `choices`, each as likely as its weight.
    mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
        var ticket = int(0...(choices.reduce(0) { $0 + $1.1 } - 1))
        for (value, weight) in choices {
            if ticket < weight { return value }
            ticket -= weight
        }
        return choices[choices.count - 1].0
    }
}
