import ArgumentParser

/// The `liftoff` command line: planning, the Autotask sandbox; serving and the demo as they land.
@main
struct LiftoffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "liftoff",
        abstract: "Plans MSP technicians' ticket work around their calendars and keeps bookable gaps.",
        subcommands: [
            PlanCommand.self, AvailabilityCommand.self, SandboxCommand.self, ReflowCommand.self, ServeCommand.self,
            DemoCommand.self,
            SimulateCommand.self, AdminCommand.self,
        ]
    )
}
