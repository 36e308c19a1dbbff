import Foundation

/// What one placement did over one simulated day, or over the whole run.
///
/// Counts of calls (stubs, duplicates, calls outside business hours) count each service call once,
/// on the day it was first seen so. Everything is measured on the PSA's records, not on Liftoff's
/// Store, so it is what customers and technicians see in Outlook.
public struct SimulationFigures: Codable, Sendable, Equatable {
    /// `Mon 2026-09-14`, or `total`.
    public var label: String
    public var reflowRuns = 0
    public var failedRuns = 0
    /// Liftoff's API requests (its own client's), all of them.
    public var apiRequests = 0
    /// Liftoff's API requests per UTC hour, 24 per day.
    public var requestsByHour: [Int] = []
    /// Whether any technician works in that hour: the hours the mean is taken over.
    public var workingHours: [Bool] = []
    /// Mean requests per working hour and the busiest hour.
    public var requestsPerHourMean = 0.0
    public var requestsPerHourPeak = 0
    /// Writes Liftoff made (service calls and their links, ticket statuses).
    public var writes = 0
    /// Hours of shift of every technician together.
    public var technicianHours = 0.0
    public var writesPerTechnicianHour = 0.0
    /// Liftoff's calls whose start or end a reflow changed while their old start was less than 24
    /// hours after the run (or already past): what customers and technicians notice. A call of work
    /// that began keeping its start while its end follows the work is not a move.
    public var nearTermMoves = 0
    /// Of those, calls of work that began elsewhere than its call (a technician pressed Start, or
    /// Complete, before the call's start): they follow the technician in every placement.
    public var nearTermMovesOfBegunWork = 0
    /// Every such change, however far ahead.
    public var moves = 0
    /// Calls deleted while their old start was less than 24 hours ahead (or past) and they had not ended.
    public var nearTermRemovals = 0
    /// Calls cut short or finished for an activity never started (target 0).
    public var stubCalls = 0
    /// Live calls beyond the first for the same technician, activity and part (target 0).
    public var duplicateCalls = 0
    /// Live calls of work not begun that lie outside the technician's shifts (target 0).
    public var callsOutsideBusinessHours = 0
    /// Free time inside shifts, in stretches of at least 30 minutes, over the day, measured at its
    /// start: what schedulers can offer customers.
    public var bookableGapMinutes = 0
    public var bookingAttempts = 0
    public var bookingsPlaced = 0
    public var cancellations = 0
    public var ticketsArrived = 0
    /// Activities picked up with Start pressed, and without (the technician just worked).
    public var activitiesStarted = 0
    public var activitiesWorkedWithoutStart = 0
    public var activitiesFinished = 0
    /// Finished after their ticket's due date, and of those, the ones due after the simulation began
    /// (the backlog it starts with has tickets already overdue, late whatever the placement).
    public var finishedLate = 0
    public var finishedLateDueInRun = 0

    public init(label: String) {
        self.label = label
    }

    /// Fills in the means and rates from the counts.
    mutating func summarize() {
        let working = zip(requestsByHour, workingHours).filter(\.1).map(\.0)
        requestsPerHourMean = working.isEmpty ? 0 : Double(working.reduce(0, +)) / Double(working.count)
        requestsPerHourPeak = requestsByHour.max() ?? 0
        writesPerTechnicianHour = technicianHours > 0 ? Double(writes) / technicianHours : 0
    }

    /// The days added up, as the run's total.
    static func total(of days: [SimulationFigures]) -> SimulationFigures {
        var total = SimulationFigures(label: "total")
        for day in days {
            total.reflowRuns += day.reflowRuns
            total.failedRuns += day.failedRuns
            total.apiRequests += day.apiRequests
            total.requestsByHour += day.requestsByHour
            total.workingHours += day.workingHours
            total.writes += day.writes
            total.technicianHours += day.technicianHours
            total.nearTermMoves += day.nearTermMoves
            total.nearTermMovesOfBegunWork += day.nearTermMovesOfBegunWork
            total.moves += day.moves
            total.nearTermRemovals += day.nearTermRemovals
            total.stubCalls += day.stubCalls
            total.duplicateCalls += day.duplicateCalls
            total.callsOutsideBusinessHours += day.callsOutsideBusinessHours
            total.bookableGapMinutes += day.bookableGapMinutes
            total.bookingAttempts += day.bookingAttempts
            total.bookingsPlaced += day.bookingsPlaced
            total.cancellations += day.cancellations
            total.ticketsArrived += day.ticketsArrived
            total.activitiesStarted += day.activitiesStarted
            total.activitiesWorkedWithoutStart += day.activitiesWorkedWithoutStart
            total.activitiesFinished += day.activitiesFinished
            total.finishedLate += day.finishedLate
            total.finishedLateDueInRun += day.finishedLateDueInRun
        }
        total.summarize()
        return total
    }
}

/// One placement's run: the first reflow that fills the calendar, each day, and the total.
public struct SimulationModeReport: Codable, Sendable, Equatable {
    public var mode: String
    /// The first run (a full import that writes every call) before the first day's work begins.
    public var setupRequests: Int
    public var setupCallsCreated: Int
    public var days: [SimulationFigures]
    public var total: SimulationFigures
}

/// The whole comparison: what was simulated and each placement's figures, side by side.
public struct SimulationReport: Codable, Sendable, Equatable {
    public var technicians: Int
    public var days: Int
    public var seed: UInt64
    public var gapMinutes: Int
    public var start: String
    public var tickMinutes: Int
    public var reflowDelayMinutes: Int
    public var modes: [SimulationModeReport]

    /// As JSON, keys sorted, for `--json`.
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}
