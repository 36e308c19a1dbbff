import Foundation
import Testing

/// `--now` / `LIFTOFF_NOW`, the testing aid that starts a command's clock at a chosen instant. That
/// the instant is used is checked end to end by the SIGKILL test (its `liftoff reflow` runs on the
/// test's clock); here, that a bad value is refused with a message naming where it came from.
@Suite struct StartInstantTests {
    @Test(arguments: ["reflow", "serve", "demo", "sandbox"])
    func everyCommandThatReadsTheTimeTakesNow(command: String) throws {
        let outcome = try PlanCommandTests.run([command, "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("--now"), "\(command) --help lists --now")
        #expect(outcome.stdout.contains("LIFTOFF_NOW"))
    }

    @Test(arguments: [
        (["reflow", "--now", "2026-03-09 14:00"], [String: String](), "--now"),
        (["reflow", "--now", "2026-02-31T10:00:00Z"], [:], "--now"),
        (["reflow"], ["LIFTOFF_NOW": "yesterday"], "LIFTOFF_NOW"),
        (["sandbox", "--now", "14:00"], [:], "--now"),
    ])
    func aStartInstantThatIsNotAnInstantIsRefusedByName(
        arguments: [String], environment: [String: String], source: String
    ) throws {
        var environment = environment
        environment["LIFTOFF_DATABASE_URL"] =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("liftoff-now-\(UUID().uuidString).sqlite").path
        let outcome = try PlanCommandTests.run(arguments, environment: environment)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains(source), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("RFC 3339"), "\(outcome.stderr)")
    }
}
