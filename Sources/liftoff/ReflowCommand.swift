import ArgumentParser
import AutotaskAPI
import Foundation
import LiftoffServer
import Logging
import Vapor
import WallClock

/// `liftoff reflow`: one Calendar Reflow run — import, plan, write the changed service calls.
struct ReflowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reflow",
        abstract: "Run Calendar Reflow once: import from Autotask, plan, and rewrite the service calls that changed."
    )

    @ArgumentParser.OptionGroup var connection: ConnectionOptions

    @ArgumentParser.Flag(help: "Import everything, not only what changed since the last run.")
    var full = false

    @ArgumentParser.OptionGroup var startInstant: StartInstantOption

    @ArgumentParser.OptionGroup var writing: WritingOption

    @ArgumentParser.Flag(
        help:
            "Import and plan, print what would change, and write nothing to Autotask whatever the writing switch says."
    )
    var dryRun = false

    func run() async throws {
        let settings = try connection.resolve()
        let clock = try startInstant.clock()
        let writingMode = try writing.mode()
        guard let autotask = settings.autotask else {
            throw ValidationError(
                "Autotask is not configured: give --integration-code, --autotask-user and --autotask-secret or LIFTOFF_AUTOTASK_*"
            )
        }
        let app = try await Application.make(Environment(name: "reflow", arguments: ["reflow"]))
        app.logger.logLevel = .notice
        do {
            try await app.openStore(settings.database)
            if let writingMode { try await app.setWriting(writingMode, by: "command", at: clock.now()) }
            let client = AutotaskClient(configuration: autotask, logger: app.logger)
            let lease = try ReflowLeaseSetting.seconds(ProcessInfo.processInfo.environment)
            let job = CalendarReflowJob(
                client: client, database: app.db, logger: app.logger, leaseDuration: lease, clock: clock)
            let summary = try await job.run(trigger: "command", fullImport: full, dryRun: dryRun)
            if summary.mode != "writing" {
                print(
                    summary.mode == "dry-run"
                        ? "dry run: nothing was written to Autotask; this is what writing would do:"
                        : "preview: writing is off for this Store, so nothing was written to Autotask; switch it on with --writing on or in Settings. What writing would do:"
                )
            }
            print(
                "reflow \(summary.outcome): \(summary.created) created, \(summary.moved) moved, \(summary.removed) removed, "
                    + "\(summary.unscheduled) unscheduled, \(summary.apiRequests) API requests"
                    + (summary.pendingWrites > 0 ? ", \(summary.pendingWrites) writes left for the next run" : ""))
            for line in summary.changes { print("  " + line) }
            if summary.heldForAttention > 0 {
                print(
                    "\(summary.heldForAttention) changes held: their technicians need attention (time zone or hours unknown); see Settings"
                )
            }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
