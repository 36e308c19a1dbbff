import AutotaskSandbox
import Foundation
import LiftoffServer
import Testing
import WallClock

/// The short form of `liftoff simulate` (issue 9): one simulated working day of the demo MSP, to
/// hold the calendar's zero targets — no stub calls, no duplicate calls, no calls outside business
/// hours — and the calm calendar's point, that it moves fewer calls customers are about to see than
/// the earliest-start placement.
@Suite("Day simulator", .serialized)
struct DaySimulatorTests {
    @Test("one day, 12 technicians: no stubs, duplicates or calls outside hours; calm moves no more than earliest")
    func oneDayOfTwelveTechnicians() async throws {
        var options = SimulationOptions()
        options.technicians = 12
        options.days = 1
        options.modes = [.earliest, .calm(toleranceMinutes: 0), .calm(toleranceMinutes: 60)]
        // Quarter-hour steps keep the debug build's run short; the rules do not depend on the step.
        options.tickMinutes = 15
        options.reflowDelayMinutes = 15
        let report = try await DaySimulator(options: options, psa: Self.sandbox).run()
        try #require(report.modes.map(\.mode) == ["earliest", "calm0", "calm60"])
        let earliest = report.modes[0].total
        for figures in report.modes.map(\.total) {
            #expect(figures.stubCalls == 0, "\(report.table)")
            #expect(figures.duplicateCalls == 0, "\(report.table)")
            #expect(figures.failedRuns == 0)
        }
        for calm in report.modes.dropFirst().map(\.total) {
            #expect(calm.callsOutsideBusinessHours == 0, "\(report.table)")
            #expect(calm.nearTermMoves <= earliest.nearTermMoves, "\(report.table)")
            // Not vacuous: the day happened.
            #expect(calm.reflowRuns >= 24)
            #expect(calm.activitiesFinished > 12)
            #expect(calm.bookingsPlaced > 0)
            #expect(calm.ticketsArrived > 12)
            #expect(calm.requestsByHour.count == 24)
        }
        #expect(report.modes[2].setupCallsCreated > 100)
    }

    @Test("the same seed gives the same report")
    func sameSeedSameReport() async throws {
        var options = SimulationOptions()
        options.technicians = 3
        options.days = 1
        options.seed = 7
        options.modes = [.calm(toleranceMinutes: 0)]
        options.tickMinutes = 15
        options.reflowDelayMinutes = 15
        async let first = DaySimulator(options: options, psa: Self.sandbox).run()
        async let second = DaySimulator(options: options, psa: Self.sandbox).run()
        let (one, two) = try await (first, second)
        #expect(one == two)
        #expect(one.table == two.table)
        #expect(one.modes[0].total.activitiesFinished > 0)
    }

    @Test("modes and options are read and checked")
    func modesAndOptions() {
        #expect(SimulationMode("earliest") == .earliest)
        #expect(SimulationMode("calm60") == .calm(toleranceMinutes: 60))
        #expect(SimulationMode(" Calm0 ")?.description == "calm0")
        #expect(SimulationMode("calm") == nil)
        #expect(SimulationMode("latest") == nil)
        var options = SimulationOptions()
        #expect(options.problems.isEmpty)
        options.start = Date(timeIntervalSince1970: 1_789_344_000 + 86_400)  // a Tuesday
        options.technicians = 0
        #expect(options.problems.count == 2)
    }

    /// The demo MSP in an in-process sandbox on the simulation's clock, its hourly limit lifted (the
    /// client counts requests in the machine's hours, each of which holds many simulated ones).
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
}
