import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore

/// A simulated technician: who they are and what they are working on.
struct SimulatedTechnician {
    let resourceID: Int
    var work: Work?

    /// The activity in hand: how long it really takes and how much is done.
    struct Work {
        var activityID: String
        var ticketID: Int
        var neededMilliseconds: Int64
        var doneMilliseconds: Int64 = 0
    }

    /// How a technician records that the work is done.
    enum Completion: String {
        /// Complete on the Workboard (Liftoff sets the ticket's status).
        case workboard = "on the Workboard"
        /// Complete on the Workboard, and the ticket closed in Autotask by hand as well.
        case workboardAndAutotask = "on the Workboard and in Autotask"
        /// Only the ticket closed in Autotask; Liftoff learns it at its next import.
        case autotaskOnly = "in Autotask only"
    }

    /// The share of activities picked up without pressing Start.
    static let forgetsStart = 0.2
    /// Work takes this many times the estimate, uniformly.
    static let workFactor = 0.6...1.6
}

/// How the simulated technicians behave, each tick, in resource order:
///
/// - work accrues while they are in a shift and not in a meeting, a customer call or time off;
///   when it reaches the real duration (0.6–1.6 × the estimate) they complete it — on the Workboard,
///   on the Workboard and in Autotask, or in Autotask only;
/// - in a shift, free and without work, they take the top of their Workboard and press Start — or,
///   for one activity in five, forget to: then they work whatever block the calendar shows them now
///   (the top of the Workboard if none), without telling Liftoff.
///
/// Each activity's real duration, whether Start gets pressed and how it is completed are drawn from
/// the seed and the activity's ticket and technician, so they are the same in every mode, whenever
/// the activity comes up.
extension SimulatedWorld {
    func actAsTechnicians(at now: Int64, tick: Int64) async throws {
        for index in technicians.indices {
            let resourceID = technicians[index].resourceID
            if var work = technicians[index].work {
                if canWork(resourceID, at: now - tick) { work.doneMilliseconds += tick }
                if work.doneMilliseconds < work.neededMilliseconds {
                    technicians[index].work = work
                    continue
                }
                technicians[index].work = nil
                try await complete(work, by: resourceID, at: now)
            }
            guard canWork(resourceID, at: now) else { continue }
            technicians[index].work = try await pickUpWork(resourceID, at: now)
        }
    }

    /// In a shift and in no meeting, customer call or time off.
    func canWork(_ resourceID: Int, at instant: Int64) -> Bool {
        isInShift(resourceID, at: instant) && !mirror.isInMeeting(resourceID, at: instant)
    }

    private func pickUpWork(_ resourceID: Int, at now: Int64) async throws -> SimulatedTechnician.Work? {
        try await refreshStoreIfStale()
        let waiting = (workboards[resourceID] ?? []).filter { !finishedByTechnicians.contains($0.activityID) }
        guard let top = waiting.first else { return nil }
        var dice = SimulationRandom(seed: options.seed, .pressesStart, top.ticketID, resourceID)
        if dice.chance(SimulatedTechnician.forgetsStart) {
            // Without Start, Outlook says what to do: the block on the calendar now, if any.
            let onCalendar = (mirror.liftoffCallsByResource[resourceID] ?? []).first {
                !$0.isComplete && $0.span.contains(now)
            }
            let chosen = onCalendar.flatMap { call in waiting.first { $0.activityID == call.activityID } } ?? top
            figures.activitiesWorkedWithoutStart += 1
            trace("\(resourceID): works on \(chosen.activityID) without pressing Start")
            return work(on: chosen)
        }
        do {
            _ = try await ActivityWorkflow(database: database).perform(
                .start, activityID: top.activityID, by: Self.account(resourceID), reason: nil, now: Self.date(now))
        } catch {
            // Changed meanwhile (closed by an import, say): read the Workboard again.
            storeIsStale = true
            trace("\(resourceID): could not Start \(top.activityID): \(error)")
            return nil
        }
        noteChange(at: now)
        figures.activitiesStarted += 1
        trace("\(resourceID): Start \(top.activityID)")
        return work(on: top)
    }

    private func work(on activity: ActivityInfo) -> SimulatedTechnician.Work {
        var dice = SimulationRandom(seed: options.seed, .workFactor, activity.ticketID, activity.resourceID)
        let range = SimulatedTechnician.workFactor
        let factor = range.lowerBound + (range.upperBound - range.lowerBound) * dice.unit()
        let needed = Int64((Double(max(1, activity.durationMinutes)) * factor * 60_000).rounded())
        return SimulatedTechnician.Work(
            activityID: activity.activityID, ticketID: activity.ticketID, neededMilliseconds: needed)
    }

    private func complete(_ work: SimulatedTechnician.Work, by resourceID: Int, at now: Int64) async throws {
        finishedByTechnicians.insert(work.activityID)
        figures.activitiesFinished += 1
        try await refreshStoreIfStale()
        if let due = tickets[work.ticketID]?.dueAt?.simulationMilliseconds, due < now {
            figures.finishedLate += 1
            if due >= options.start.simulationMilliseconds { figures.finishedLateDueInRun += 1 }
        }
        var dice = SimulationRandom(seed: options.seed, .completion, work.ticketID, resourceID)
        let completion = dice.weighted([
            (SimulatedTechnician.Completion.workboard, 80), (.workboardAndAutotask, 10), (.autotaskOnly, 10),
        ])
        trace("\(resourceID): done with \(work.activityID), recorded \(completion.rawValue)")
        if completion != .autotaskOnly {
            do {
                _ = try await ActivityWorkflow(database: database).perform(
                    .complete, activityID: work.activityID, by: Self.account(resourceID), reason: nil,
                    now: Self.date(now))
                noteChange(at: now)
            } catch {
                // Already closed by an import: nothing to press.
            }
        }
        if completion != .workboard {
            _ = try await peopleClient.update(
                Ticket.self, id: work.ticketID, fields: ["status": 5, "completedDate": .date(Self.date(now))])
        }
    }

    /// The technician's own login, as the Workboard would act for them.
    static func account(_ resourceID: Int) -> Account {
        Account(
            username: "technician-\(resourceID)", displayName: "Technician \(resourceID)", role: .technician,
            resourceID: resourceID, viaToken: true)
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
