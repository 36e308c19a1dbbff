import ArgumentParser
import AutotaskSandbox
import Foundation
import LiftoffServer
import WallClock

/// `liftoff simulate`: working days of the demo MSP on Liftoff, on a simulated clock, once per
/// placement mode with the same seed, and the figures side by side (issue 9's benchmark; the
/// results are in BENCHMARKS.md).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate working days of the demo MSP on Liftoff and compare calendar placements.",
        discussion: """
            Each mode gets its own Autotask sandbox with the demo MSP, an in-memory Store and Calendar \
            Reflow on a clock the simulation moves: technicians work their Workboards (some forget to \
            press Start), tickets arrive, customers book through Calendly and TimeZest and cancel \
            meetings; reflow runs hourly and a few minutes after changes. Modes: earliest (owned calls \
            not passed as current), calmN (the calm rules at a tolerance of N minutes). The table goes \
            to standard output, progress to standard error. The same options give the same figures.
            """
    )

    @ArgumentParser.Option(help: "Technicians in the demo MSP (1–200).")
    var technicians = 50

    @ArgumentParser.Option(help: "Working days to simulate (Monday to Friday, weekends skipped).")
    var days = 5

    @ArgumentParser.Option(help: "Seed of every random choice in the simulated world.")
    var seed: UInt64 = 1

    @ArgumentParser.Option(help: "Minutes kept free between activities (minMinutesFreeBetweenActivities).")
    var gap = 60

    @ArgumentParser.Option(help: "First day, a Monday at 00:00 UTC (RFC 3339).")
    var start = "2026-09-14T00:00:00Z"

    @ArgumentParser.Option(help: "Placements to compare, comma-separated: earliest, calm0, calm60, any calmN.")
    var modes = "earliest,calm0,calm60"

    @ArgumentParser.Option(help: "Minutes the clock moves per step (1, 5, 10, 15, 30 or 60).")
    var tick = 5

    @ArgumentParser.Option(help: "Minutes after a Workboard action or booking before a reflow runs.")
    var reflowDelay = 5

    @ArgumentParser.Flag(help: "Run the modes one after the other rather than side by side.")
    var sequential = false

    @ArgumentParser.Option(help: "Also write the report as JSON to this file.")
    var json: String?

    @ArgumentParser.Option(
        help: "Write every action and every run's changes to this file, to see why a figure is what it is.")
    var trace: String?

    func validate() throws {
        _ = try simulationOptions()
    }

    func run() async throws {
        var options = try simulationOptions()
        if let trace {
            guard FileManager.default.createFile(atPath: trace, contents: nil),
                let handle = FileHandle(forWritingAtPath: trace)
            else { throw ValidationError("--trace: cannot write \(trace)") }
            let lock = NSLock()
            options.trace = { line in lock.withLock { handle.write(Data((line + "\n").utf8)) } }
        }

        let began = ContinuousClock.now
        Self.say(
            "Simulating \(days) working day\(days == 1 ? "" : "s") of \(technicians) technicians in "
                + options.modes.map(\.description).joined(separator: ", ") + "…")
        let report = try await DaySimulator(options: options, psa: Self.sandbox).run { Self.say($0) }
        print(report.table, terminator: "")
        if let json {
            try report.json.write(to: URL(fileURLWithPath: json))
        }
        let seconds = Int((ContinuousClock.now - began).components.seconds)
        Self.say("Done in \(seconds / 60) min \(seconds % 60) s.")
    }

    /// The options as given, or a message naming what is wrong with them.
    private func simulationOptions() throws -> SimulationOptions {
        var options = SimulationOptions()
        options.technicians = technicians
        options.days = days
        options.seed = seed
        options.gapMinutes = gap
        options.tickMinutes = tick
        options.reflowDelayMinutes = reflowDelay
        options.parallel = !sequential
        do {
            options.start = try LiftoffClock.instant(start)
        } catch {
            throw ValidationError("--start: \(error.description)")
        }
        options.modes = try modes.split(separator: ",").map { name in
            guard let mode = SimulationMode(String(name)) else {
                throw ValidationError("--modes: unknown mode \"\(name)\"; use earliest or calmN, such as calm60")
            }
            return mode
        }
        guard options.problems.isEmpty else { throw ValidationError(options.problems.joined(separator: "; ")) }
        return options
    }

    /// The demo MSP in an in-process sandbox on the simulation's clock. Its hourly request limit is
    /// lifted: Liftoff's client paces itself by the limit the sandbox reports and counts its requests
    /// in the machine's hours, each of which holds many simulated ones.
    static let sandbox: SimulatedPSA.Factory = { technicians, clock in
        let configuration = SandboxConfiguration(hourlyThreshold: 1_000_000_000)
        let sandbox = SandboxServer(
            configuration: configuration, records: DemoMSP.records(now: clock.now(), technicianCount: technicians),
            clock: clock)
        let port = try await sandbox.start(port: 0)
        return SimulatedPSA(
            discoveryURL: SandboxServer.discoveryURL(port: port), integrationCode: configuration.integrationCode,
            userName: configuration.userName, secret: configuration.secret, records: { await sandbox.records() },
            writes: { await sandbox.requestStatistics().writes }, shutdown: { await sandbox.shutdown() })
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
