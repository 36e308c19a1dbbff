import ArgumentParser

/// The `liftoff` command line: planning today; serving, the demo and the sandbox as they land.
@main
struct LiftoffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liftoff",
        abstract: "Plans MSP technicians' ticket work around their calendars and keeps bookable gaps.",
        subcommands: [PlanCommand.self, DemoCommand.self]
    )
}
