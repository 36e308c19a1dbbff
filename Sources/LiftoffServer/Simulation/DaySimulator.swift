import Foundation

/// Simulates working days of an MSP on Liftoff — the demo MSP in a PSA, technicians who work their
/// Workboards like people do, customers who book and cancel, Calendar Reflow hourly and after
/// changes — once per placement mode, on the same seeded world, and reports them side by side
/// (`liftoff simulate`, issue 9's benchmark).
///
/// Nothing reads the wall clock or system randomness: each mode's PSA, Store and reflow job share
/// one ``WallClock/ManualClock`` that the simulation moves tick by tick, and every random choice
/// derives from the seed, so the same options give the same report.
///
/// ```swift
/// var options = SimulationOptions()
/// options.technicians = 12
/// options.days = 1
/// let report = try await DaySimulator(options: options, psa: sandboxFactory).run { print($0) }
/// print(report.table)
/// ```
public struct DaySimulator: Sendable {
    public let options: SimulationOptions
    let psa: SimulatedPSA.Factory

    public init(options: SimulationOptions, psa: @escaping SimulatedPSA.Factory) {
        self.options = options
        self.psa = psa
    }

    /// Runs every mode and reports them in the options' order. `progress` hears a line per mode and
    /// day as it ends (the modes may run side by side, so from several tasks).
    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> SimulationReport {
        let problems = options.problems
        guard problems.isEmpty else { throw SimulationError(message: problems.joined(separator: "; ")) }
        var reports: [SimulationModeReport?] = Array(repeating: nil, count: options.modes.count)
        if options.parallel {
            try await withThrowingTaskGroup(of: (Int, SimulationModeReport).self) { group in
                for (index, mode) in options.modes.enumerated() {
                    group.addTask { (index, try await self.simulate(mode, progress: progress)) }
                }
                for try await (index, report) in group { reports[index] = report }
            }
        } else {
            for (index, mode) in options.modes.enumerated() {
                reports[index] = try await simulate(mode, progress: progress)
            }
        }
        return SimulationReport(
            technicians: options.technicians, days: options.days, seed: options.seed, gapMinutes: options.gapMinutes,
            start: ISO8601DateFormatter().string(from: options.start), tickMinutes: options.tickMinutes,
            reflowDelayMinutes: options.reflowDelayMinutes, modes: reports.compactMap { $0 })
    }

    private func simulate(_ mode: SimulationMode, progress: @escaping @Sendable (String) -> Void) async throws
        -> SimulationModeReport
    {
        let world = try await SimulatedWorld.start(mode: mode, options: options, psaFactory: psa)
        do {
            let report = try await world.run(progress: progress)
            await world.stop()
            return report
        } catch {
            await world.stop()
            throw error
        }
    }
}

/// Options the simulator cannot run with, or a simulation that could not go on.
public struct SimulationError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
