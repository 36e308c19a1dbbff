import Foundation

/// One way of placing the calendar that the day simulator compares against the others, on the same
/// simulated world.
///
/// `earliest` is the placement Liftoff had before *A calm calendar*: the calls it owns are not passed
/// to the planner as `current`, so every block goes to its earliest start at every run. `calm0` and
/// `calm60` (any `calmN`) pass them, with a reflow tolerance of 0 and 60 minutes.
public struct SimulationMode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Whether the reflow passes the owned calls as `current` blocks.
    public var keepsCurrentBlocks: Bool
    /// `reflowToleranceMinutes` of the site's settings (irrelevant without current blocks).
    public var toleranceMinutes: Int

    public static let earliest = SimulationMode(keepsCurrentBlocks: false, toleranceMinutes: 0)
    public static func calm(toleranceMinutes: Int) -> SimulationMode {
        SimulationMode(keepsCurrentBlocks: true, toleranceMinutes: toleranceMinutes)
    }

    /// `earliest`, or `calm` followed by the tolerance in minutes (`calm0`, `calm60`).
    public init?(_ name: String) {
        let name = name.trimmingCharacters(in: .whitespaces).lowercased()
        if name == "earliest" {
            self = .earliest
        } else if name.hasPrefix("calm"), let minutes = Int(name.dropFirst(4)), (0...1440).contains(minutes) {
            self = .calm(toleranceMinutes: minutes)
        } else {
            return nil
        }
    }

    private init(keepsCurrentBlocks: Bool, toleranceMinutes: Int) {
        self.keepsCurrentBlocks = keepsCurrentBlocks
        self.toleranceMinutes = toleranceMinutes
    }

    public var description: String { keepsCurrentBlocks ? "calm\(toleranceMinutes)" : "earliest" }
}

/// What to simulate: how big the MSP is, for how long, with which seed and settings, and which
/// placements to compare. The defaults are issue 9's benchmark.
public struct SimulationOptions: Sendable {
    /// Technicians of the demo MSP (1…200).
    public var technicians = 50
    /// Working days (Monday to Friday; a longer run skips the weekends).
    public var days = 5
    /// Everything random in the simulated world derives from it.
    public var seed: UInt64 = 1
    /// `minMinutesFreeBetweenActivities` of the site's settings.
    public var gapMinutes = 60
    /// Monday 00:00 UTC of the first simulated day.
    public var start = SimulationOptions.defaultStart
    public var modes: [SimulationMode] = [.earliest, .calm(toleranceMinutes: 0), .calm(toleranceMinutes: 60)]
    /// The clock advances by this much at a time; people act and runs start on these ticks.
    public var tickMinutes = 5
    /// A reflow runs this long after a Workboard action or a booking (the first tick at or after
    /// it), besides the hourly run: a few minutes, so that several changes share one run.
    public var reflowDelayMinutes = 5
    /// Runs the modes side by side (each has its own sandbox, Store and clock) rather than one after
    /// the other: the figures are the same, the wall time shorter on a machine with several cores.
    public var parallel = true
    /// Hears a line for everything that happens — each person's action, each run and its changes —
    /// prefixed with the mode and the simulated time: to see why a figure is what it is.
    public var trace: (@Sendable (String) -> Void)?

    public init() {}

    /// 2026-09-14, a Monday without a public holiday in New York, London or Pune and away from
    /// daylight-saving changes, so the default run measures ordinary working days.
    public static let defaultStart = Date(timeIntervalSince1970: 1_789_344_000)

    /// What is wrong with these options, in words for the command line; empty when they are fine.
    public var problems: [String] {
        var problems: [String] = []
        if !(1...200).contains(technicians) { problems.append("technicians must be from 1 to 200, got \(technicians)") }
        if !(1...30).contains(days) { problems.append("days must be from 1 to 30, got \(days)") }
        if !(0...480).contains(gapMinutes) { problems.append("gap must be from 0 to 480 minutes, got \(gapMinutes)") }
        if ![1, 5, 10, 15, 30, 60].contains(tickMinutes) {
            problems.append("tick must be 1, 5, 10, 15, 30 or 60 minutes, got \(tickMinutes)")
        }
        if !(0...60).contains(reflowDelayMinutes) {
            problems.append("the reflow delay must be from 0 to 60 minutes, got \(reflowDelayMinutes)")
        }
        if modes.isEmpty { problems.append("give at least one mode") }
        if Set(modes).count != modes.count { problems.append("a mode is named twice") }
        let seconds = Int64(start.timeIntervalSince1970.rounded(.down))
        let days = seconds.quotientAndRemainder(dividingBy: 86_400)
        // 1970-01-01 was a Thursday, so day 4 was the first Monday.
        if Double(seconds) != start.timeIntervalSince1970 || days.remainder != 0 || (days.quotient - 4) % 7 != 0 {
            problems.append("the start must be a Monday at 00:00:00Z, such as 2026-09-14T00:00:00Z")
        }
        return problems
    }

    /// 00:00 UTC of each simulated working day: Monday to Friday, weekends skipped.
    var dayStarts: [Date] {
        (0..<days).map { index in
            start.addingTimeInterval(Double((index / 5) * 7 + index % 5) * 86_400)
        }
    }
}
