import Fluent
import Foundation

/// What the simulator measures on the PSA's records after each run, as customers and technicians
/// would see it in Outlook; see ``SimulationFigures`` for each figure's meaning.
///
/// Whether an activity's work has begun (started, or completed: a technician may press Complete
/// without Start) comes from the Store, as Calendar Reflow judges it: only such calls may be cut
/// short, stay outside working hours, or keep their start while their end follows the work.
extension SimulatedWorld {
    func measureRun(at now: Int64) async throws {
        let begun = try await readBegunActivities()
        let nearTerm = now + 86_400_000
        for (id, old) in callsBefore.sorted(by: { $0.key < $1.key }) {
            guard let new = mirror.liftoffCalls[id] else {
                if !old.isComplete && old.span.end > now && old.span.start < nearTerm { figures.nearTermRemovals += 1 }
                continue
            }
            guard new.span != old.span || new.isComplete != old.isComplete else { continue }
            let workBegan = begun.contains(new.activityID)
            let cut =
                (new.isComplete && !old.isComplete) || new.span.end - new.span.start < old.span.end - old.span.start
            if !workBegan && cut && stubCalls.insert(id).inserted { figures.stubCalls += 1 }
            // A call of work that began keeps its start and follows the work: the technician's doing.
            if workBegan && new.span.start == old.span.start { continue }
            guard new.span != old.span else { continue }
            figures.moves += 1
            if old.span.start < nearTerm {
                figures.nearTermMoves += 1
                if workBegan { figures.nearTermMovesOfBegunWork += 1 }
            }
        }
        var seen: [String: Int] = [:]
        for call in mirror.liftoffCalls.values.sorted(by: { $0.id < $1.id })
        where !call.isComplete && call.span.end > now {
            let key = "\(call.resourceID)/\(call.ticketID)/\(call.part)"
            if seen[key] != nil {
                if duplicateCalls.insert(call.id).inserted { figures.duplicateCalls += 1 }
            } else {
                seen[key] = call.id
            }
            if !begun.contains(call.activityID),
                !(shifts[call.resourceID] ?? []).contains(where: { $0.contains(call.span) }),
                callsOutsideBusinessHours.insert(call.id).inserted
            {
                figures.callsOutsideBusinessHours += 1
            }
        }
        callsBefore = mirror.liftoffCalls
    }

    /// Free time inside each technician's shifts over the day ahead, in stretches long enough for a
    /// 30-minute booking, measured at the day's start: the time schedulers can offer.
    func measureBookableGaps() async throws {
        if mirrorIsStale { try await refreshMirror() }
        let day = Stretch(start: dayStart, end: dayStart + 86_400_000)
        var minutes: Int64 = 0
        for technician in technicians {
            let taken = mirror.taken[technician.resourceID] ?? []
            for shift in shifts[technician.resourceID] ?? [] where shift.overlaps(day) {
                var cursor = max(shift.start, day.start)
                let end = min(shift.end, day.end)
                for item in taken where item.end > cursor && item.start < end {
                    if item.start - cursor >= 1_800_000 { minutes += (item.start - cursor) / 60_000 }
                    cursor = max(cursor, item.end)
                }
                if end - cursor >= 1_800_000 { minutes += (end - cursor) / 60_000 }
            }
        }
        figures.bookableGapMinutes = Int(minutes)
    }
}
