/// Calendar Reflow's decision: which of Liftoff's own service calls to create, move, finish or
/// remove so that the PSA calendar shows the current calendar plan — and nothing else.
///
/// Pure: the server feeds it the plan's blocks and the calls it owns, and carries out the changes
/// through its outbox. It never touches calls Liftoff does not own (they are not in its input), never
/// moves the start of a call that records work that began, never cuts a call of work that never
/// began into a stub, and never touches complete calls: history stays as it happened. Running it
/// again on its own result changes nothing.
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

        /// Whose calendar the change is on.
        public var technicianId: String {
            switch self {
            case .create(let block), .move(_, let block): block.technicianId
            case .finish(let call, _), .remove(let call): call.technicianId
            }
        }
    }

    /// What Liftoff knows of an activity's work, so that only a call that recorded work is treated
    /// as history.
    public enum Work: Hashable, Sendable {
        /// Started at this instant (and maybe completed since).
        case started(at: Instant)
        /// Completed without anyone pressing Start: the work happened, when is unknown.
        case completed
    }

    /// The changes that make `owned` match `planned` at `now`, in a stable order (removals first, so
    /// freed time is free before anything moves into it, then moves, finishes and creations).
    ///
    /// `work` says which activities' work has begun; every other activity was never started. A call
    /// is matched to the block of the same technician, activity and part.
    /// - A call that has not begun follows its block.
    /// - A call of an activity never started follows its block too, even when its start has passed:
    ///   cutting it short would leave a stub in Outlook for work that never happened.
    /// - A begun call of a started activity keeps its start (the work began then) and only its end
    ///   follows — also when the call is over, as work that ran past its estimate. A call that ended
    ///   before the work began recorded nothing and follows its block. A matched call is never
    ///   joined by a second one.
    /// - A call whose block is gone is removed, or, when it records work under way, ends now.
    /// Calls that are complete are never touched, and a block that is itself over is never created.
    public static func changes(planned: [Block], owned: [OwnedCall], now: Instant, work: [String: Work]) -> [Change] {
        var candidates: [Key: OwnedCall] = [:]
        var extras: [OwnedCall] = []
        // Per key, prefer a live call over history, then the latest-starting one, then the oldest
        // (lowest id): duplicates from an earlier failure are the ones retired, and a call that is
        // over never shadows the live one (which would re-create the block on every run).
        for call in liveCallsFirst(owned, now: now) {
            if let earlier = candidates[call.key] {
                extras.append(earlier)
            }
            candidates[call.key] = call
        }
        /// Whether `call` covers work that was done: its activity began before the call ended.
        func recordsWork(_ call: OwnedCall) -> Bool {
            switch work[call.activityId] {
            case .started(let at)?: return at < call.end
            case .completed?: return true
            case nil: return false
            }
        }
        var removals: [Change] = []
        var moves: [Change] = []
        var creations: [Change] = []
        var matched: Set<Key> = []
        func retire(_ call: OwnedCall) {
            if call.start > now {
                removals.append(.remove(call))
            } else if call.end > now {
                // Work under way ends now; a call of work never started would only leave a stub.
                removals.append(recordsWork(call) ? .finish(call, at: now) : .remove(call))
            }
        }
        for call in extras { retire(call) }
        for block in planned.sorted(by: { ($0.key, $0.start) < ($1.key, $1.start) }) {
            matched.insert(block.key)
            guard let call = candidates[block.key] else {
                if block.end > now { creations.append(.create(block)) }
                continue
            }
            // Only what reaches the present moves: a call and a block that are both over are history
            // — except work running past its estimate, whose block ends exactly now.
            let reachesNow = call.end > now || block.end > now || (block.end == now && work[block.activityId] != nil)
            if call.start == block.start {
                if call.end != block.end && reachesNow { moves.append(.move(from: call, to: block)) }
            } else if call.start > now || !recordsWork(call) {
                if reachesNow { moves.append(.move(from: call, to: block)) }
            } else if block.end > call.start {
                var runningOn = block
                runningOn.start = call.start
                if call.end != block.end && reachesNow { moves.append(.move(from: call, to: runningOn)) }
            }
        }
        for (key, call) in candidates.sorted(by: { $0.key < $1.key }) where !matched.contains(key) {
            retire(call)
        }
        return removals + moves + creations
    }

    /// The calls on the PSA calendar now, one per technician, activity and part — the same call
    /// ``changes(planned:owned:now:work:)`` would match — as the planner's `current` blocks.
    public static func current(owned: [OwnedCall], now: Instant) -> [String: [CurrentBlock]] {
        var chosen: [Key: OwnedCall] = [:]
        for call in liveCallsFirst(owned, now: now) { chosen[call.key] = call }
        var result: [String: [CurrentBlock]] = [:]
        for (key, call) in chosen.sorted(by: { $0.key < $1.key }) {
            result[key.technicianId, default: []].append(
                CurrentBlock(activityId: key.activityId, part: key.part, start: call.start, end: call.end))
        }
        return result
    }

    /// Calls not complete, ordered so that for each key the one to keep comes last.
    private static func liveCallsFirst(_ owned: [OwnedCall], now: Instant) -> [OwnedCall] {
        owned.filter { !$0.isComplete }.sorted {
            ($0.key, $0.end > now ? 1 : 0, $0.start, -$0.serviceCallId) < (
                $1.key, $1.end > now ? 1 : 0, $1.start, -$1.serviceCallId
            )
        }
    }
}
