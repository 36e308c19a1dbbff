import ArgumentParser
import Foundation
import LiftoffCore

/// `liftoff availability FILE|-`: the bookable slots of an appointment type for the technicians of a
/// planning problem (docs/scheduling.md, *Availability*), as JSON — what the booking page offers,
/// without a server. Also the benchmark's way in (`--timings --repeat N`).
struct AvailabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "availability",
        abstract: "Print the bookable slots of an appointment type for the technicians of a problem document.",
        discussion: """
            The problem is a `liftoff plan` document (docs/plan-format.md); it is planned first, and the \
            slots keep clear of what the plan puts on the calendar. Slots are printed as a JSON array of \
            {technicianId, start, end}, by start. A bad problem or option is refused with exit status 2.
            """
    )

    @Argument(help: "The problem document, or - to read standard input.")
    var file: String

    @Option(help: "Appointment length in minutes.")
    var length = 30

    @Option(help: "Start increment in minutes (slots start on local minutes divisible by it).")
    var increment = 15

    @Option(help: "Free minutes needed before the appointment.")
    var bufferBefore = 0

    @Option(help: "Free minutes needed after the appointment.")
    var bufferAfter = 0

    @Option(help: "Minimum notice: N (minutes), Nbh (working hours) or Nbd (working days).")
    var notice = "0"

    @Option(help: "How many days ahead slots may start.")
    var windowDays = 14

    @Option(help: "At most this many bookings per technician and day.")
    var maximumPerDay: Int?

    @Option(help: "gaps-only (slots in free time) or flexible (slots may move Next Activities).")
    var mode = "gaps-only"

    @Option(help: "Only this technician's slots.")
    var technician: String?

    @Option(help: "Compute the slots this many times (for --timings).")
    var `repeat` = 1

    @Flag(help: "Print how long planning and finding the slots took (median of --repeat runs) to standard error.")
    var timings = false

    func run() throws {
        let type = try appointmentType()
        let problem: PlanningProblem
        do {
            problem = try PlanDocumentReader.problem(from: try PlanInput.read(file))
        } catch let error as PlanFormatError {
            throw PlanInput.refuse("the problem is invalid:\n" + error.description, command: "availability")
        } catch {
            throw PlanInput.refuse("cannot read \(file): \(error.localizedDescription)", command: "availability")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let answer = Planner.plan(problem)
        let planned = clock.now
        var calendars: [Availability.Calendar] = []
        for (index, person) in problem.technicians.enumerated() where technician == nil || person.id == technician {
            calendars.append(.init(technician: person, plan: answer.technicians[index]))
        }
        if let technician, calendars.isEmpty {
            throw PlanInput.refuse("no technician \(technician) in the problem", command: "availability")
        }
        let to = problem.now.adding(minutes: type.bookingWindowDays * 1440)
        var slots: [BookingSlot] = []
        var durations: [Duration] = []
        for _ in 0..<max(1, self.repeat) {
            let before = clock.now
            slots = Availability.slots(
                of: type, for: calendars, settings: problem.settings, now: problem.now, from: problem.now, to: to)
            durations.append(clock.now - before)
        }
        var output = "["
        for (index, slot) in slots.enumerated() {
            output += index == 0 ? "\n" : ",\n"
            output +=
                #"  {"technicianId": "\#(slot.technicianId)", "start": "\#(RFC3339.format(slot.start))", "end": "\#(RFC3339.format(slot.end))"}"#
        }
        output += slots.isEmpty ? "]\n" : "\n]\n"
        FileHandle.standardOutput.write(Data(output.utf8))
        if timings {
            let median = durations.sorted()[durations.count / 2]
            PlanInput.printError(
                "planned \(PlanInput.milliseconds(planned - started)) ms, availability \(PlanInput.milliseconds(median)) ms "
                    + "(median of \(durations.count); \(calendars.count) technicians, \(slots.count) slots, "
                    + "\(type.mode.rawValue))")
        }
    }

    func appointmentType() throws -> AppointmentType {
        guard let mode = ["gaps-only": AppointmentType.Mode.gapsOnly, "flexible": .flexible][mode] else {
            throw PlanInput.refuse("--mode must be gaps-only or flexible, got “\(mode)”", command: "availability")
        }
        guard (1...1440).contains(length), (1...1440).contains(increment), bufferBefore >= 0, bufferAfter >= 0,
            (1...366).contains(windowDays)
        else {
            throw PlanInput.refuse(
                "--length and --increment must be 1–1440 minutes, buffers 0 or more, --window-days 1–366",
                command: "availability")
        }
        let parsed: AppointmentType.Notice
        if let minutes = Int(notice), minutes >= 0 {
            parsed = .minutes(minutes)
        } else if notice.hasSuffix("bh"), let hours = Int(notice.dropLast(2)), hours >= 0 {
            parsed = .businessMinutes(hours * 60)
        } else if notice.hasSuffix("bd"), let days = Int(notice.dropLast(2)), days >= 0 {
            parsed = .businessDays(days)
        } else {
            throw PlanInput.refuse(
                "--notice must be minutes (90), working hours (4bh) or working days (2bd), got “\(notice)”",
                command: "availability")
        }
        return AppointmentType(
            id: "cli", name: "Appointment", lengthMinutes: length, startIncrementMinutes: increment,
            bufferBeforeMinutes: bufferBefore, bufferAfterMinutes: bufferAfter, notice: parsed,
            bookingWindowDays: windowDays, maximumPerDay: maximumPerDay, mode: mode)
    }
}
