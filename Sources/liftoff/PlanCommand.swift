import ArgumentParser
import Foundation
import LiftoffCore

/// `liftoff plan FILE|-`: reads a planning problem, prints the plan (docs/plan-format.md).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan technicians' Next Activities from a problem document and print the plan as JSON.",
        discussion: """
            The problem and answer formats are described in docs/plan-format.md; an example is \
            examples/problem.json. A problem that breaks a rule is rejected with exit status 2 and a \
            message on standard error naming the field and the technician or activity; nothing is \
            printed on standard output then.
            """
    )

    @Argument(help: "The problem document, or - to read standard input.")
    var file: String

    @Flag(help: "Print how long reading, planning and writing took to standard error.")
    var timings = false

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let input: [UInt8]
        do {
            input = try PlanInput.read(file)
        } catch {
            throw PlanInput.refuse(
                "cannot read \(file == "-" ? "standard input" : file): \(error.localizedDescription)")
        }
        let problem: PlanningProblem
        do {
            problem = try PlanDocumentReader.problem(from: input)
        } catch {
            throw PlanInput.refuse("the problem is invalid:\n" + error.description)
        }
        let read = clock.now
        let answer = Planner.plan(problem)
        let planned = clock.now
        let output = PlanDocumentWriter.bytes(for: answer)
        FileHandle.standardOutput.write(Data(output))
        if timings {
            let written = clock.now
            let activityCount = problem.technicians.reduce(0) { $0 + $1.nextActivities.count }
            PlanInput.printError(
                "read \(PlanInput.milliseconds(read - started)) ms, planned \(PlanInput.milliseconds(planned - read)) ms, "
                    + "wrote \(PlanInput.milliseconds(written - planned)) ms (\(problem.technicians.count) technicians, "
                    + "\(activityCount) activities)")
        }
    }
}

enum PlanInput {
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Prints `message` to standard error and gives the exit status of a refused problem, 2.
    static func refuse(_ message: String, command: String = "plan") -> ExitCode {
        printError("liftoff \(command): " + message)
        return ExitCode(2)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}
