import ArgumentParser

/// `liftoff demo`: will start the sandbox with a demo MSP and the Workboard; not built yet.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start Liftoff with a demo MSP (not yet available)."
    )

    func run() throws {
        print(
            """
            liftoff demo is not yet available: the Autotask sandbox, the server and the Workboard are still \
            being built (see Status in the README). Today Liftoff plans from files: try
              swift run liftoff plan examples/problem.json
            """)
        throw ExitCode(1)
    }
}
