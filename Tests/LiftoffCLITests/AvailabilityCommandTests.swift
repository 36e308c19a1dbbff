import Foundation
import Testing

/// `liftoff availability` run as a real process: slots as JSON for a plan document, and bad options
/// refused with exit status 2 and a message naming the option.
@Suite struct AvailabilityCommandTests {
    typealias Run = PlanCommandTests

    @Test func printsTheSlotsOfTheExampleAsJSON() throws {
        let outcome = try Run.run(["availability", "--length", "45", "--notice", "4bh", "examples/problem.json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let slots = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: String]])
        #expect(!slots.isEmpty, "the example's technicians have free time to book")
        for slot in slots {
            let start = try #require(slot["start"])
            let end = try #require(slot["end"])
            #expect(slot["technicianId"]?.isEmpty == false)
            #expect(start < end, "\(slot)")
        }
        #expect(slots.map { $0["start"]! } == slots.map { $0["start"]! }.sorted(), "slots come by start")
    }

    @Test(arguments: [
        (["--notice", "soon"], "--notice"), (["--mode", "busy"], "--mode"), (["--length", "0"], "--length"),
        (["--technician", "nobody"], "no technician nobody"),
    ])
    func badOptionsAreRefusedByName(_ options: [String], _ named: String) throws {
        let outcome = try Run.run(["availability"] + options + ["examples/problem.json"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(named), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }
}
