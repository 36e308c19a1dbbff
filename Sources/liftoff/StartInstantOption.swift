import ArgumentParser
import Foundation
import WallClock

/// `--now` / `LIFTOFF_NOW`: starts a command's clock at a chosen instant, a testing aid to simulate a
/// working day or reproduce a customer's problem at the moment it happened. The clock then runs at
/// the machine's pace. Announced on standard error, so a log never hides that time was set.
struct StartInstantOption: ParsableArguments {
    @Option(
        name: .customLong("now"),
        help: ArgumentHelp(
            "Testing aid: act as if the time were this RFC 3339 instant, e.g. 2026-03-09T14:00:00Z (LIFTOFF_NOW).",
            valueName: "instant"))
    var now: String?

    /// The clock this command runs on: the machine's, or one started at `--now` / `LIFTOFF_NOW`.
    func clock(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LiftoffClock {
        let (text, source) =
            now.map { ($0, "--now") } ?? environment["LIFTOFF_NOW"].map { ($0, "LIFTOFF_NOW") } ?? (nil, "")
        guard let text, !text.isEmpty else { return .system }
        let start: Date
        do {
            start = try LiftoffClock.instant(text)
        } catch {
            throw ValidationError("\(source): \(error.description)")
        }
        FileHandle.standardError.write(
            Data(
                "liftoff: clock starts at \(text) (\(source)), a testing aid; every time Liftoff reads comes from it\n"
                    .utf8))
        return .starting(at: start)
    }
}
