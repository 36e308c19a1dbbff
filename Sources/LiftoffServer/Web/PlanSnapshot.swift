import Fluent
import Foundation
import LiftoffCore
import Logging
import Metrics
import NIOCore
import WallClock

/// The plan as the pages show it: the Store's problem, the planner's answer, and the records behind
/// them, made once per change and shared by every Workboard and calendar request.
struct PlanSnapshot: Sendable {
    let version: String
    let madeAt: Date
    /// When every technician was last read and planned; a snapshot that only re-planned one
    /// technician (``replanning(_:on:now:version:)``) keeps its predecessor's, so the age-based
    /// refresh still reaches everyone else.
    var plannedAllAt: Date
    /// When every technician was last read from the Store. The age-based refresh re-plans the
    /// problem held here at the new instant (``replanned(at:)``) and reads the Store again only when
    /// this is older than ``PlanCache/readAge``: any change made through Liftoff changes the plan
    /// version, which rebuilds from the Store anyway.
    var readAllAt: Date
    /// The calls Liftoff owns, as the plan was read with them: at a new instant they give the
    /// technicians' `current` blocks again (*A calm calendar*) without reading the Store.
    var owned: [CalendarReflow.OwnedCall] = []
    /// Which build of its cache this is, counted up: a newer build always wins, and answers kept
    /// for one build are never served for another (two builds may share `madeAt` when the clock
    /// stands still, as in tests and the day simulator).
    var serial = 0
    let problem: PlanningProblem
    let answer: PlanAnswer
    let technicians: [TechnicianRecordValue]
    let tickets: [Int: TicketValue]
    /// Open (planned) and pending activities by id.
    let activities: [String: ActivityValue]
    let busy: [Int: [BusyValue]]
    /// Whether Workboards show the pending-accept lane (the workflow setting, read with the plan:
    /// saving the workflow changes the plan version, so every answer from this snapshot agrees with
    /// it without reading the Store per request).
    var requireAcceptance = false

    struct TechnicianRecordValue: Sendable {
        var resourceID: Int
        var name: String
        var timeZone: String
        /// Why no service calls are written for this technician (zone or hours unknown), or nil.
        var attention: String? = nil
        /// Their holidays by date (`YYYY-MM-DD`), for the calendar's day labels (``HolidayNames``).
        var holidayNames: [String: String] = [:]
    }

    struct TicketValue: Sendable {
        var ticketID: Int
        var number: String
        var title: String
        var priorityRank: Int
    }

    struct ActivityValue: Sendable {
        var activityID: String
        var resourceID: Int
        var ticketID: Int
        var durationMinutes: Int
        var state: String
        var startedAt: Date?
    }

    struct BusyValue: Sendable {
        var source: String
        var kind: String
        var start: Date
        var end: Date
        var title: String?
    }

    /// Index of each technician in the problem and the answer, by resource id (made once per
    /// snapshot: every Workboard request looks it up).
    let indexByResource: [Int: Int]

    /// The records of the problem's technicians, in the problem's order, so one index reaches a
    /// technician's record, problem entry and plan (a record the problem left out is left out here).
    static func aligned(_ records: [TechnicianRecord], with problem: PlanningProblem) -> [TechnicianRecordValue] {
        let byID = Dictionary(records.map { (String($0.resourceID), $0) }, uniquingKeysWith: { first, _ in first })
        return problem.technicians.map { technician in
            guard let record = byID[technician.id] else {
                return TechnicianRecordValue(
                    resourceID: Int(technician.id) ?? 0, name: technician.name ?? technician.id,
                    timeZone: technician.timeZone.identifier)
            }
            return TechnicianRecordValue(
                resourceID: record.resourceID, name: record.name, timeZone: record.timeZone,
                attention: record.attention, holidayNames: HolidayNames.read(record.workSchedule))
        }
    }

    static let logger = Logger(label: "liftoff.plan")

    static func make(on database: Database, now: Date, version: String) async throws -> PlanSnapshot {
        let started = ContinuousClock.now
        let built = try await ProblemBuilder(database: database, now: now).build()
        let read = ContinuousClock.now
        let pending = try await StoreRows.activities(state: "pending", on: database)
        let workflow = try await WorkflowSettings.load(on: database)
        let answer = Planner.plan(built.problem)
        logger.debug(
            "plan rebuilt",
            metadata: [
                "technicians": "\(built.problem.technicians.count)", "read": "\(read - started)",
                "plan": "\(ContinuousClock.now - read)",
            ])
        var busy: [Int: [BusyValue]] = [:]
        for item in built.busy {
            busy[item.resourceID, default: []].append(
                BusyValue(item))
        }
        for key in busy.keys { busy[key]?.sort { $0.start < $1.start } }
        var activities: [String: ActivityValue] = [:]
        for activity in built.activities + pending {
            activities[activity.activityID] = ActivityValue(activity)
        }
        var tickets: [Int: TicketValue] = [:]
        for ticket in built.tickets.values { tickets[ticket.ticketID] = TicketValue(ticket) }
        let technicians = aligned(built.technicians, with: built.problem)
        return PlanSnapshot(
            version: version, madeAt: now, plannedAllAt: now, readAllAt: now, owned: built.owned,
            problem: built.problem, answer: answer, technicians: technicians,
            tickets: tickets, activities: activities, busy: busy, requireAcceptance: workflow.requireAcceptance,
            indexByResource: Dictionary(
                technicians.enumerated().map { ($1.resourceID, $0) }, uniquingKeysWith: { first, _ in first }))
    }
}

/// The Store's rows as the snapshot keeps them, the same for a full and a one-technician build.
extension PlanSnapshot.BusyValue {
    init(_ record: StoreRows.Busy) {
        self.init(source: record.source, kind: record.kind, start: record.start, end: record.end, title: record.title)
    }
}

extension PlanSnapshot.ActivityValue {
    init(_ record: StoreRows.Activity) {
        self.init(
            activityID: record.activityID, resourceID: record.resourceID, ticketID: record.ticketID,
            durationMinutes: record.durationMinutes, state: record.state, startedAt: record.startedAt)
    }
}

extension PlanSnapshot.TicketValue {
    init(_ record: StoreRows.Ticket) {
        self.init(
            ticketID: record.ticketID, number: record.number, title: record.title, priorityRank: record.priorityRank)
    }
}

extension PlanSnapshot {
    /// This snapshot with one technician read from the Store and planned again, everyone else as they
    /// were: technicians are planned independently, so after a Workboard action (which changes one
    /// technician's activities) this gives the same plan as ``make(on:now:version:)`` at a fraction of
    /// the reads. Nil when the technician is not in this snapshot or no longer in the Store (a full
    /// build decides then).
    func replanning(_ resourceID: Int, on database: Database, now: Date, version: String) async throws
        -> PlanSnapshot?
    {
        guard let index = indexByResource[resourceID] else { return nil }
        let built = try await ProblemBuilder(database: database, now: now, onlyTechnician: resourceID).build()
        // The site's settings are the same for everyone; if they changed meanwhile, everyone re-plans.
        guard built.problem.technicians.count == 1, built.problem.technicians[0].id == problem.technicians[index].id,
            built.problem.settings == problem.settings
        else { return nil }
        let pending = try await StoreRows.activities(state: "pending", resourceID: resourceID, on: database)
        let moreTickets = try await StoreRows.tickets(
            ids: Set(pending.map(\.ticketID)).subtracting(built.tickets.keys), on: database)
        var problem = self.problem
        problem.now = built.problem.now
        problem.technicians[index] = built.problem.technicians[0]
        var answer = self.answer
        answer.technicians[index] = Planner.plan(built.problem).technicians[0]
        var technicians = self.technicians
        technicians[index] = Self.aligned(built.technicians, with: built.problem)[0]
        var busy = self.busy
        busy[resourceID] = built.busy.map(BusyValue.init).sorted { $0.start < $1.start }
        var activities = self.activities.filter { $0.value.resourceID != resourceID }
        for activity in built.activities + pending {
            activities[activity.activityID] = ActivityValue(activity)
        }
        var tickets = self.tickets
        for ticket in Array(built.tickets.values) + moreTickets { tickets[ticket.ticketID] = TicketValue(ticket) }
        let technicianID = problem.technicians[index].id
        return PlanSnapshot(
            version: version, madeAt: now, plannedAllAt: plannedAllAt, readAllAt: readAllAt,
            owned: owned.filter { $0.technicianId != technicianID } + built.owned, problem: problem,
            answer: answer, technicians: technicians, tickets: tickets, activities: activities, busy: busy,
            requireAcceptance: try await WorkflowSettings.load(on: database).requireAcceptance,
            indexByResource: indexByResource)
    }

    /// This snapshot planned again at `now` from the problem and calls it holds, reading nothing:
    /// estimates move with the clock, the Store has not changed (the version says so). The same
    /// plan a full build at `now` makes, at a fraction of its cost (planning 500 technicians takes
    /// milliseconds, reading them hundreds).
    func replanned(at now: Date) -> PlanSnapshot {
        var problem = self.problem
        let instant = CalendarReflowJob.instant(now)
        problem.now = instant
        let current = CalendarReflow.current(owned: owned, now: instant)
        // What a read at `now` leaves out: busy items that ended before the look-back.
        let cutoff = now.addingTimeInterval(-ProblemBuilder.busyLookBack)
        let lookBack = CalendarReflowJob.instant(cutoff)
        for index in problem.technicians.indices {
            problem.technicians[index].current = current[problem.technicians[index].id] ?? []
            problem.technicians[index].busy.removeAll { $0.end <= lookBack }
        }
        return PlanSnapshot(
            version: version, madeAt: now, plannedAllAt: now, readAllAt: readAllAt, owned: owned, problem: problem,
            answer: Planner.plan(problem), technicians: technicians, tickets: tickets, activities: activities,
            busy: busy.mapValues { $0.filter { $0.end > cutoff } }.filter { !$0.value.isEmpty },
            requireAcceptance: requireAcceptance, indexByResource: indexByResource)
    }
}

/// Keeps the latest ``PlanSnapshot``, built once however many requests ask at the same time.
///
/// A change in the Store's ``PlanVersion`` makes the next request wait for a new plan. A snapshot
/// that is only old (estimates move with the clock) is still answered while a fresh one is made in
/// the background — by planning its problem at the new instant, and every ``readAge`` by reading the
/// Store again — so the minute-by-minute refresh never makes anyone wait, and at 500 technicians it
/// takes milliseconds of a core instead of half a second.
actor PlanCache {
    private var snapshot: PlanSnapshot?
    private var building: Task<PlanSnapshot, Error>?
    private var buildingVersion: String?
    /// Encoded answers made from the current snapshot (calendar and Workboard JSON), which is
    /// immutable: the same request answers the same bytes until the snapshot changes. Kept as
    /// `ByteBuffer`s, which a response body shares rather than copies: at thousands of answers a
    /// second the copy and its allocation were a visible share of the server's work.
    private var responses: [String: ByteBuffer] = [:]
    private var responsesOf: Int?
    private var responseBytes = 0
    /// The most bytes of answers kept for one snapshot. A budget in bytes, not a count: at 500
    /// technicians their Workboards alone are 500 answers of a few KB, and a week of everyone's
    /// calendar is one of about 9 MB; a count of 500 left the calendar re-rendered on every request.
    let responseBudget: Int
    private var builds = 0
    /// What the latest build did, `full`, `one technician` or `clock` (for tests and the debug log).
    private(set) var lastBuildKind = ""
    let maxAge: TimeInterval
    /// How old the Store reading behind a snapshot may grow before the age-based refresh reads it
    /// again rather than only re-planning (a safety net: every change made through Liftoff changes
    /// the plan version and is read at once).
    let readAge: TimeInterval
    /// `LIFTOFF_RESPONSE_CACHE=off` renders every answer afresh (to measure or rule out the cache).
    let keepsResponses: Bool
    /// The time plans are made at: the server's one clock.
    let clock: LiftoffClock

    init(
        clock: LiftoffClock, maxAge: TimeInterval = 60, readAge: TimeInterval = 600,
        keepsResponses: Bool = ProcessInfo.processInfo.environment["LIFTOFF_RESPONSE_CACHE"] != "off",
        responseBudget: Int = 64 << 20
    ) {
        self.clock = clock
        self.maxAge = maxAge
        self.readAge = readAge
        self.keepsResponses = keepsResponses
        self.responseBudget = responseBudget
    }

    /// The snapshot for the Store's current plan version. `database` is made only when the Store is
    /// read: most requests join a version read already waiting, and making a `Database` for each of
    /// thousands of answers a second was a visible share of the server's work.
    func current(on database: @autoclosure @Sendable () -> any Database) async throws -> PlanSnapshot {
        let version = try await versionReading(on: database)
        if let snapshot, snapshot.version == version {
            if clock.now().timeIntervalSince(snapshot.plannedAllAt) >= maxAge, building == nil {
                _ = rebuild(on: database(), version: version, from: snapshot)
            }
            return snapshot
        }
        if let building, buildingVersion == version { return try await building.value }
        return try await rebuild(on: database(), version: version, from: snapshot).value
    }

    /// The next read of the plan version that has not begun yet, shared by everyone who asks before
    /// it begins. At hundreds of requests a second, reading the version once per request costs more
    /// than answering: this way at most one read is under way and one waits behind it, however many
    /// requests come. Each caller still gets a reading begun after it asked, so a change committed
    /// before a request (on this instance or another) is always seen by it.
    private var nextVersionRead: (id: Int, task: Task<String, Error>)?
    private var lastVersionRead: Task<String, Error>?
    /// How many version reads were made (for tests).
    private(set) var versionReads = 0

    private func versionReading(on database: @Sendable () -> any Database) async throws -> String {
        if let waiting = nextVersionRead { return try await waiting.task.value }
        versionReads += 1
        let id = versionReads
        let before = lastVersionRead
        let database = database()
        let task = Task {
            _ = try? await before?.value
            self.beginVersionRead(id)
            return try await PlanVersion.current(on: database)
        }
        nextVersionRead = (id, task)
        lastVersionRead = task
        return try await task.value
    }

    /// From here on a new caller needs a newer reading than this one.
    private func beginVersionRead(_ id: Int) {
        if nextVersionRead?.id == id { nextVersionRead = nil }
    }

    /// Builds the snapshot for `version`: from `previous` by re-planning one technician when the
    /// version says it follows `previous` and touched only them (``PlanVersion/Stamp``), else in full.
    private func rebuild(on database: Database, version: String, from previous: PlanSnapshot? = nil) -> Task<
        PlanSnapshot, Error
    > {
        builds += 1
        let serial = builds
        let stamp = PlanVersion.Stamp(version)
        // Only from a snapshot whose other technicians are recent: a full build is due every
        // `maxAge` anyway, and actions arriving faster than it takes must not keep it from landing.
        let now = clock.now()
        let base = previous.flatMap { previous -> (PlanSnapshot, Int)? in
            guard let technician = stamp.technician, stamp.previous == PlanVersion.Stamp(previous.version).id,
                now.timeIntervalSince(previous.plannedAllAt) < maxAge
            else { return nil }
            return (previous, technician)
        }
        // Only older, not changed: plan the held problem at the new instant.
        let clockOnly = previous.flatMap { previous in
            previous.version == version && now.timeIntervalSince(previous.readAllAt) < readAge ? previous : nil
        }
        let task = Task {
            do {
                var made: PlanSnapshot
                var kind = "full"
                if let clockOnly {
                    made = clockOnly.replanned(at: now)
                    kind = "clock"
                } else if let (previous, technician) = base,
                    let replanned = try await previous.replanning(
                        technician, on: database, now: now, version: version)
                {
                    made = replanned
                    kind = "one technician"
                } else {
                    made = try await PlanSnapshot.make(on: database, now: now, version: version)
                }
                Counter(label: "liftoff_plan_builds_total", dimensions: [("kind", kind)]).increment()
                made.serial = serial
                self.finished(made, version: version, kind: kind)
                return made
            } catch {
                self.finished(nil, version: version, kind: "failed")
                throw error
            }
        }
        building = task
        buildingVersion = version
        return task
    }

    private func finished(_ made: PlanSnapshot?, version: String, kind: String) {
        lastBuildKind = kind
        // Only the latest build clears the slot; an older one may finish after a newer one started.
        if buildingVersion == version {
            building = nil
            buildingVersion = nil
        }
        if let made, snapshot.map({ $0.serial < made.serial }) ?? true { snapshot = made }
    }

    /// Waits for the build under way, if any (for tests of the background refresh).
    func settled() async {
        _ = try? await building?.value
    }

    /// The answer for `key` made from `snapshot`, if one was kept.
    func response(_ key: String, of snapshot: PlanSnapshot) -> ByteBuffer? {
        responsesOf == snapshot.serial ? responses[key] : nil
    }

    /// Keeps an answer made from `snapshot` while the kept answers fit ``responseBudget`` (older
    /// snapshots' are dropped).
    func keep(_ data: ByteBuffer, as key: String, of snapshot: PlanSnapshot) {
        guard keepsResponses else { return }
        if responsesOf != snapshot.serial {
            responses = [:]
            responseBytes = 0
            responsesOf = snapshot.serial
        }
        guard responses[key] == nil, responseBytes + data.readableBytes <= responseBudget else { return }
        responses[key] = data
        responseBytes += data.readableBytes
    }
}
