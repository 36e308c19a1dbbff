import ArgumentParser
import Foundation
import LiftoffServer

/// `--writing on|off` / `LIFTOFF_WRITING`: sets the Store's writing switch for scripted set-ups, the
/// same switch an admin turns on the Settings page. Left out, the Store keeps its own setting (a new
/// Store starts in preview and writes nothing to Autotask).
struct WritingOption: ParsableArguments {
    @Option(
        name: .customLong("writing"),
        help: ArgumentHelp(
            "Write to Autotask (on) or only preview what would be written (off); sets the Store's switch (LIFTOFF_WRITING).",
            valueName: "on|off"))
    var writing: String?

    func mode(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> WritingMode? {
        let (text, source) =
            writing.map { ($0, "--writing") } ?? environment["LIFTOFF_WRITING"].map { ($0, "LIFTOFF_WRITING") }
            ?? (nil, "")
        guard let text, !text.isEmpty else { return nil }
        do {
            return try WritingMode(parsing: text, source: source)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
