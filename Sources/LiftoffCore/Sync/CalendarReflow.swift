/// Calendar Reflow's decision: which of Liftoff's own service calls to create, move, finish or
/// remove so that the PSA calendar shows the current calendar plan — and nothing else.
///
/// Pure: the server feeds it the plan's blocks and the calls it owns, and carries out the changes
/// through its outbox. It never touches calls Liftoff does not own (they are not in its input), never
/// moves a call that has begun unless only its end changes (a started activity running on), and
/// never touches calls that are over: history stays as it happened. Running it again on its own
/// result changes nothing.
public enum CalendarReflow {
    /// One block of the calendar plan, for one technician.
    public struct Block: Hashable, Sendable {
        public var technicianId: String
        public var activityId: String
        public var part: Int
        public var parts: Int
        public var start: Instant
        public var end: Instant

        public init(technicianId: String, activityId: String, part: Int, parts: Int, start: Instant, end: Instant) {
            self.technicianId = technicianId
            self.activityId = activityId
            self.part = part
            self.parts = parts
            self.start = start
            self.end = end
        }

        var key: Key { Key(technicianId: technicianId, activityId: activityId, part: part) }
    }

    /// A service call Liftoff created for a block, as its link records it.
    public struct OwnedCall: Hashable, Sendable {
        public var serviceCallId: Int
        public var technicianId: String
        public var activityId: String
        public var part: Int
        public var start: Instant
        public var end: Instant
        public var isComplete: Bool

        public init(
            serviceCallId: Int, technicianId: String, activityId: String, part: Int, start: Instant, end: Instant,
            isComplete: Bool = false
        ) {
            self.serviceCallId = serviceCallId
            self.technicianId = technicianId
            self.activityId = activityId
            self.part = part
            self.start = start
            self.end = end
            self.isComplete = isComplete
        }

        var key: Key { Key(technicianId: technicianId, activityId: activityId, part: part) }
    }

    struct Key: Hashable, Comparable {
        let technicianId: String
        let activityId: String
        let part: Int

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.technicianId, lhs.activityId, lhs.part) < (rhs.technicianId, rhs.activityId, rhs.part)
        }
    }

    /// One write to the PSA, with the reason the run log shows.
    public enum Change: Hashable, Sendable {
        /// A block with no call yet.
        case create(Block)
        /// A call whose block moved: `from` is the call as it is, `to` the block it must match.
        case move(from: OwnedCall, to: Block)
        /// A call in progress whose block is gone (the activity finished or was cancelled): it ends
        /// now and is marked complete.
        case finish(OwnedCall, at: Instant)
        /// A future call whose block is gone (finished, cancelled, unscheduled or re-split activity).
        case remove(OwnedCall)
    }

    /// The changes that make `owned` match `planned` at `now`, in a stable order (removals first, so
    /// freed time is free before anything moves into it, then moves, finishes and creations).
    public static func changes(planned: [Block], owned: [OwnedCall], now: Instant) -> [Change] {
        // Calls that are over, or complete, are history: never matched, never moved.
        let live = owned.filter { !$0.isComplete && $0.end > now }
        var liveByKey: [Key: OwnedCall] = [:]
        var duplicates: [OwnedCall] = []
        for call in live.sorted(by: { ($0.key, $0.serviceCallId) < ($1.key, $1.serviceCallId) }) {
            if liveByKey[call.key] == nil { liveByKey[call.key] = call } else { duplicates.append(call) }
        }
        var removals: [Change] = duplicates.map { $0.start > now ? .remove($0) : .finish($0, at: now) }
        var moves: [Change] = []
        var creations: [Change] = []
        var matched: Set<Key> = []
        for block in planned.sorted(by: { ($0.key, $0.start) < ($1.key, $1.start) }) {
            guard let call = liveByKey[block.key] else {
                creations.append(.create(block))
                continue
            }
            let begun = call.start <= now
            if begun && call.start != block.start {
                // The call has begun but the plan puts the block elsewhere: what happened stays; it
                // ends now, and the block gets a call of its own.
                removals.append(.finish(call, at: now))
                creations.append(.create(block))
            } else if call.start != block.start || call.end != block.end {
                moves.append(.move(from: call, to: block))
            }
            matched.insert(block.key)
        }
        for (key, call) in liveByKey.sorted(by: { $0.key < $1.key }) where !matched.contains(key) {
            removals.append(call.start > now ? .remove(call) : .finish(call, at: now))
        }
        return removals + moves + creations
    }
}
