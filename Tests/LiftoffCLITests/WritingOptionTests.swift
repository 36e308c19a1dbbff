import Foundation
import Testing

/// `--writing on|off` / `LIFTOFF_WRITING` on the commands that write to Autotask, and
/// `liftoff reflow --dry-run`. That the switch works end to end is checked by the server tests (the
/// SIGKILL test's `liftoff reflow` writes because of `LIFTOFF_WRITING=on`); here, that the options
/// exist and a bad value is refused by name before anything starts.
@Suite struct WritingOptionTests {
    @Test(arguments: ["reflow", "serve"])
    func theCommandsThatWriteTakeWriting(command: String) throws {
        let outcome = try PlanCommandTests.run([command, "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("--writing"))
        #expect(outcome.stdout.contains("LIFTOFF_WRITING"))
        if command == "reflow" { #expect(outcome.stdout.contains("--dry-run")) }
    }

    @Test(arguments: [
        (["reflow", "--writing", "maybe"], [String: String](), "--writing must be on or off, not \"maybe\""),
        (["reflow"], ["LIFTOFF_WRITING": "sometimes"], "LIFTOFF_WRITING must be on or off, not \"sometimes\""),
        (["serve", "--writing", "yes please"], [:], "--writing must be on or off"),
    ])
    func aWritingValueThatIsNeitherOnNorOffIsRefusedByName(
        arguments: [String], environment: [String: String], message: String
    ) throws {
        var environment = environment
        environment["LIFTOFF_DATABASE_URL"] =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("liftoff-writing-\(UUID().uuidString).sqlite").path
        let outcome = try PlanCommandTests.run(arguments, environment: environment)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }
}
