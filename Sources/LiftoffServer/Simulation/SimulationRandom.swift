import LiftoffCore

/// The simulated world's dice: SplitMix64, fully specified, so a seed gives the same week on every
/// platform and Swift version (the standard library's generators promise neither).
///
/// There is no shared stream. Each choice takes a generator of its own, made from the seed and what
/// the choice is about — a kind of event and the day, tick and technician it happens at, or the
/// ticket an activity is for. So the placements being compared live through the same world as far as
/// it can be the same: a booking that finds no slot in one mode does not shift every later coin toss,
/// and an activity takes as long to work whenever it is picked up.
typealias SimulationRandom = SplitMix64

extension SplitMix64 {
    /// A generator for one choice: `kind` names the sort of event, `keys` where and when it happens.
    init(seed: UInt64, _ kind: SimulationEvent, _ keys: Int...) {
        var state = Self.mix(seed ^ 0x4C49_4654_4F46_4653)
        state = Self.mix(state ^ kind.rawValue)
        for key in keys { state = Self.mix(state ^ UInt64(bitPattern: Int64(key))) }
        self.init(seed: state)
    }
}

/// What a generator is for; the raw values are part of the seed's meaning, so they never change.
enum SimulationEvent: UInt64 {
    case newTicket = 1, booking, cancellation, pressesStart, workFactor, completion
}
