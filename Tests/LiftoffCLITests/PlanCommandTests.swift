import Foundation
import Testing

/// `liftoff plan` run as a real process: exit status, standard output and standard error.
@Suite struct PlanCommandTests {
    struct Outcome {
        let status: Int32
        let reason: Process.TerminationReason
        let stdout: String
        let stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `liftoff` executable SwiftPM built beside this test bundle.
    static let binary: URL = {
        let candidates = [
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        for directory in candidates {
            let binary = directory.appendingPathComponent("liftoff")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        return packageRoot.appendingPathComponent(".build/debug/liftoff")
    }()

    static func run(_ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:]) throws -> Outcome
    {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, reason: process.terminationReason,
            stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("liftoff-\(UUID().uuidString).json")
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func helpListsThePlanCommand() throws {
        let outcome = try Self.run(["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("plan"))
    }

    @Test func plansTheExampleFile() throws {
        let outcome = try Self.run(["plan", "examples/problem.json"])
        #expect(outcome.status == 0)
        #expect(outcome.stderr.isEmpty)
        #expect(
            outcome.stdout.contains(
                #"{"activityId": "NA-1", "start": "2026-03-06T15:30:00Z", "end": "2026-03-06T17:30:00Z", "part": 1, "parts": 1}"#
            ))
    }

    @Test func readsStandardInputForADash() throws {
        let example = try Data(contentsOf: Self.packageRoot.appendingPathComponent("examples/problem.json"))
        let fromFile = try Self.run(["plan", "examples/problem.json"])
        let fromStdin = try Self.run(["plan", "-"], stdin: Array(example))
        #expect(fromStdin.status == 0)
        #expect(fromStdin.stdout == fromFile.stdout)
    }

    @Test func outputIsByteIdenticalWhateverTheProcessTimeZone() throws {
        let first = try Self.run(["plan", "examples/problem.json"])
        let second = try Self.run(
            ["plan", "examples/problem.json"], environment: ["TZ": "Asia/Kathmandu", "LANG": "de_DE.UTF-8"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
    }

    @Test(arguments: [
        ("", "the document is empty"),
        ("not json", "not valid JSON: unexpected character 'n'"),
        ("[]", "the document must be a JSON object"),
        (
            #"{"now": "2026-03-06T14:00:00", "technicians": []}"#,
            "now must be an RFC 3339 instant with a zone designator"
        ),
        (
            #"{"now": "2026-03-06T14:00:00Z", "technicians": [{"id": "T-7", "timeZone": "UTC", "workSchedule": {}, "nextActivities": [{"id": "NA-3", "priority": "high", "durationMinutes": 30, "ticketCreated": "2026-03-01T00:00:00Z"}]}]}"#,
            "technician T-7: nextActivities[0] (NA-3): priority must be an integer, got a string"
        ),
    ])
    func refusesBadInputWithStatusTwoAndNothingOnStandardOutput(input: String, message: String) throws {
        let outcome = try Self.run(["plan", try Self.temporaryFile(Array(input.utf8))])
        #expect(outcome.reason == .exit)
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains(message), "stderr: \(outcome.stderr)")
        #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Stack dump"))
    }

    @Test func aMissingFileIsRefusedWithStatusTwo() throws {
        let outcome = try Self.run(["plan", "/nonexistent/problem.json"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("cannot read /nonexistent/problem.json"))
    }

    @Test func randomBytesNeverCrashTheCommand() throws {
        var state: UInt64 = 7
        for _ in 0..<20 {
            let bytes = (0..<512).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            let outcome = try Self.run(["plan", "-"], stdin: bytes)
            #expect(outcome.reason == .exit && outcome.status == 2)
            #expect(outcome.stdout.isEmpty)
        }
    }
}
