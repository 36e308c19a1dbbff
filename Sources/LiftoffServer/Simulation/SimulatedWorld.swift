import AutotaskAPI
import Fluent
import Foundation
import LiftoffCore
import Logging
import Vapor
import WallClock

/// One placement's simulated week: a PSA with the demo MSP, a Store and Liftoff's reflow job, all on
/// one clock that moves only when the simulation moves it, and the people who work, book and cancel.
///
/// Each tick the people act first (technicians work, start and complete; tickets arrive; customers
/// book and cancel), then a reflow runs if one is due: hourly on the hour, and `reflowDelayMinutes`
/// after the first Workboard action or booking it has not yet seen. After every run the PSA's records
/// are read back and measured. Used by one task only; nothing here is shared.
final class SimulatedWorld {
    let mode: SimulationMode
    let options: SimulationOptions
    let clock: ManualClock
    let psa: SimulatedPSA
    let app: Application
    /// Liftoff's client: every request it makes is Liftoff's cost.
    let liftoffClient: AutotaskClient
    /// The simulated people's client (Calendly, TimeZest, technicians working in Autotask).
    let peopleClient: AutotaskClient
    let job: CalendarReflowJob
    var database: Database { app.db }

    /// The PSA's calendar as last read, and whether something changed it since.
    var mirror = CalendarMirror()
    var mirrorIsStale = true
    var technicians: [SimulatedTechnician] = []
    /// Each technician's shifts over the simulated days and the planning horizon after them.
    var shifts: [Int: [Stretch]] = [:]
    /// The role each technician works tickets under (Autotask wants one with every assignment).
    var serviceDeskRoles: [Int: Int] = [:]
    /// The companies whose tickets each technician had at the start, sorted: new tickets come from
    /// them (and are the same in every mode).
    var clientsOfTechnicians: [Int: [Int]] = [:]
    /// The Store's tickets and the open activities in Workboard order, as of the last run.
    var tickets: [Int: TicketInfo] = [:]
    var workboards: [Int: [ActivityInfo]] = [:]
    var storeIsStale = true
    /// Activities the technicians know they finished, whether or not Liftoff heard of it yet.
    var finishedByTechnicians: Set<String> = []
    /// The earliest Workboard action or booking that no run has seen yet.
    var unseenChangeAt: Int64?

    /// The day being simulated, and its index (for the dice).
    var figures = SimulationFigures(label: "")
    var dayIndex = 0
    var dayStart: Int64 = 0
    /// The previous run's view of Liftoff's calls, to tell what a run changed.
    var callsBefore: [Int: CalendarMirror.LiftoffCall] = [:]
    var stubCalls: Set<Int> = []
    var duplicateCalls: Set<Int> = []
    var callsOutsideBusinessHours: Set<Int> = []

    private init(
        mode: SimulationMode, options: SimulationOptions, clock: ManualClock, psa: SimulatedPSA, app: Application,
        logger: Logger
    ) {
        self.mode = mode
        self.options = options
        self.clock = clock
        self.psa = psa
        self.app = app
        liftoffClient = AutotaskClient(configuration: psa.clientConfiguration, logger: logger)
        peopleClient = AutotaskClient(configuration: psa.clientConfiguration, logger: logger)
        job = CalendarReflowJob(
            client: liftoffClient, database: app.db, logger: logger, clock: clock.clock,
            keepsCurrentBlocks: mode.keepsCurrentBlocks)
    }

    /// Starts the PSA and the Store for `mode` at the options' start, and sets the site's settings.
    static func start(mode: SimulationMode, options: SimulationOptions, psaFactory: SimulatedPSA.Factory) async throws
        -> SimulatedWorld
    {
        let clock = ManualClock(at: options.start)
        let psa = try await psaFactory(options.technicians, clock.clock)
        let app: Application
        do {
            app = try await Application.make(Environment(name: "simulate", arguments: ["simulate"]))
        } catch {
            await psa.shutdown()
            throw error
        }
        do {
            app.logger.logLevel = .error
            try await app.openStore(.sqliteMemory)
            try await WritingSwitch.set(.on, by: "simulation", at: clock.now, on: app.db)
            try await SettingsStore.set(
                SettingsStore.siteKey,
                "{\"minMinutesFreeBetweenActivities\":\(options.gapMinutes),"
                    + "\"reflowToleranceMinutes\":\(mode.toleranceMinutes)}",
                on: app.db)
        } catch {
            try? await app.asyncShutdown()
            await psa.shutdown()
            throw error
        }
        let world = SimulatedWorld(mode: mode, options: options, clock: clock, psa: psa, app: app, logger: app.logger)
        return world
    }

    func stop() async {
        await psa.shutdown()
        try? await app.asyncShutdown()
    }

    /// Runs the whole week and reports it; `progress` hears about each day as it ends.
    func run(progress: (String) -> Void) async throws -> SimulationModeReport {
        let started = ContinuousClock.now
        let start = options.start.simulationMilliseconds
        let setupRequests = await liftoffClient.usage().requestsByThisClient
        let setup = try await job.run(trigger: "simulation setup", fullImport: true)
        let requestsAfterSetup = await liftoffClient.usage().requestsByThisClient
        try await learnTechnicians()
        try await refreshMirror()
        callsBefore = mirror.liftoffCalls
        var days: [SimulationFigures] = []
        for (index, day) in options.dayStarts.enumerated() {
            dayIndex = index
            dayStart = day.simulationMilliseconds
            beginDay()
            let tick = Int64(options.tickMinutes) * 60_000
            for minute in stride(from: 0, to: 1440, by: options.tickMinutes) {
                // Another mode failed (they run side by side) or the caller gave up: stop here.
                try Task.checkCancellation()
                let now = dayStart + Int64(minute) * 60_000
                clock.set(Date(timeIntervalSince1970: Double(now) / 1000))
                let isSetupMoment = now == start
                if !isSetupMoment {
                    try await actAsPeople(at: now, minute: minute, tick: tick)
                }
                let onTheHour = minute % 60 == 0
                let changeIsDue = unseenChangeAt.map { now >= $0 + Int64(options.reflowDelayMinutes) * 60_000 } ?? false
                if !isSetupMoment && (onTheHour || changeIsDue) {
                    try await reflow(at: now, trigger: onTheHour ? "schedule" : "change")
                }
                if minute == 0 { try await measureBookableGaps() }
            }
            figures.summarize()
            days.append(figures)
            progress(
                "\(mode): \(figures.label) done (day \(index + 1) of \(options.days)): \(figures.reflowRuns) runs, "
                    + "\(figures.apiRequests) API requests, \(figures.nearTermMoves) near-term moves; "
                    + "\(Self.elapsed(since: started)) so far")
        }
        return SimulationModeReport(
            mode: mode.description, setupRequests: requestsAfterSetup - setupRequests, setupCallsCreated: setup.created,
            days: days, total: .total(of: days))
    }

    /// Starts a day's figures: its label, its working hours and its technician-hours.
    private func beginDay() {
        let date = Date(timeIntervalSince1970: Double(dayStart) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][(parts.weekday ?? 1) - 1]
        figures = SimulationFigures(
            label: weekday + " " + String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0))
        figures.requestsByHour = Array(repeating: 0, count: 24)
        figures.workingHours = (0..<24).map { hour in
            let span = Stretch(start: dayStart + Int64(hour) * 3_600_000, end: dayStart + Int64(hour + 1) * 3_600_000)
            return shifts.values.contains { $0.contains { $0.overlaps(span) } }
        }
        let day = Stretch(start: dayStart, end: dayStart + 86_400_000)
        let milliseconds = shifts.values.flatMap { $0 }.filter { $0.overlaps(day) }.reduce(Int64(0)) {
            $0 + min($1.end, day.end) - max($1.start, day.start)
        }
        figures.technicianHours = Double(milliseconds) / 3_600_000
    }

    /// One reflow through the job, as `liftoff serve` would run it, and what it changed.
    func reflow(at now: Int64, trigger: String) async throws {
        let requestsBefore = await liftoffClient.usage().requestsByThisClient
        let writesBefore = await psa.writes()
        do {
            let summary = try await job.run(trigger: trigger)
            trace(
                "reflow (\(trigger)): \(summary.created) created, \(summary.moved) moved, \(summary.removed) removed, "
                    + "\(summary.apiRequests) API requests")
            for line in summary.changes { trace("  " + line) }
        } catch {
            figures.failedRuns += 1
            trace("reflow (\(trigger)) failed: \(error)")
        }
        let requests = await liftoffClient.usage().requestsByThisClient - requestsBefore
        figures.reflowRuns += 1
        figures.apiRequests += requests
        figures.requestsByHour[Int((now - dayStart) / 3_600_000)] += requests
        figures.writes += await psa.writes() - writesBefore
        unseenChangeAt = nil
        storeIsStale = true
        try await refreshMirror()
        try await measureRun(at: now)
    }

    /// A line for `--trace`: what people did and what each run changed, at the simulated time.
    func trace(_ text: @autoclosure () -> String) {
        guard let sink = options.trace else { return }
        sink("\(mode) \(AutotaskDateText.instant(clock.now)) \(text())")
    }

    /// Notes a change Liftoff should follow up a few minutes later.
    func noteChange(at now: Int64) {
        if unseenChangeAt == nil { unseenChangeAt = now }
    }

    func refreshMirror() async throws {
        mirror = CalendarMirror(records: await psa.records())
        mirrorIsStale = false
    }

    /// The technicians as the first import made them, with their shifts from the planner's reading
    /// of their schedule (zones, business hours, holidays).
    private func learnTechnicians() async throws {
        let problem = try await ProblemBuilder(database: database, now: options.start).build().problem
        let from = Instant(millisecondsSinceEpoch: options.start.simulationMilliseconds - 86_400_000)
        let lastDay = options.dayStarts.last ?? options.start
        let to = Instant(millisecondsSinceEpoch: lastDay.simulationMilliseconds + 17 * 86_400_000)
        for technician in problem.technicians {
            guard let resourceID = Int(technician.id) else { continue }
            shifts[resourceID] = CalendarInsight.workingTime(technician: technician, from: from, to: to).map {
                Stretch(start: $0.start.millisecondsSinceEpoch, end: $0.end.millisecondsSinceEpoch)
            }
            technicians.append(SimulatedTechnician(resourceID: resourceID))
        }
        technicians.sort { $0.resourceID < $1.resourceID }
        var clients: [Int: Set<Int>] = [:]
        for ticket in try await readTickets().values {
            if let resourceID = ticket.assignedResourceID, let company = ticket.companyID {
                clients[resourceID, default: []].insert(company)
            }
        }
        let everyone = Set(clients.values.flatMap { $0 })
        for technician in technicians {
            clientsOfTechnicians[technician.resourceID] = (clients[technician.resourceID] ?? everyone).sorted()
        }
        for resource in await psa.records()["Resources"] ?? [] {
            if let id = resource.simInt("id"), let role = resource.simInt("defaultServiceDeskRoleID") {
                serviceDeskRoles[id] = role
            }
        }
    }

    /// Whether `instant` lies in one of the technician's shifts.
    func isInShift(_ resourceID: Int, at instant: Int64) -> Bool {
        (shifts[resourceID] ?? []).contains { $0.contains(instant) }
    }

    /// The Store's tickets and Workboards, reread after a run. The technicians' own Start and
    /// Complete need no reread: what they finished they skip, and the order of the rest stays.
    func refreshStoreIfStale() async throws {
        guard storeIsStale else { return }
        tickets = try await readTickets()
        workboards = try await readWorkboards(tickets: tickets)
        storeIsStale = false
    }

    static func elapsed(since start: ContinuousClock.Instant) -> String {
        let seconds = Int((ContinuousClock.now - start).components.seconds)
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }
}
