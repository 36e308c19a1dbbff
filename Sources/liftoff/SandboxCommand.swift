import ArgumentParser
import AutotaskSandbox
import Foundation
import LiftoffCore

/// `liftoff sandbox`: a local Autotask REST API with a demo MSP, for development, tests and demos.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local Autotask-compatible REST API (the sandbox), seeded with a demo MSP.",
        discussion: """
            Point any Autotask client at the printed discovery URL: zone discovery answers without \
            credentials and leads back to the sandbox. State lives in memory; --state FILE loads it \
            from FILE when it exists and saves every change there. See docs/autotask.md for what the \
            sandbox emulates and where it differs from Autotask.
            """
    )

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8089

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Initial data: demo (a realistic MSP for this week), empty, or a state FILE.json.")
    var seed = "demo"

    @Option(help: "Load state from FILE when it exists and save every change to it.")
    var state: String?

    @Option(help: "Faults to inject, e.g. latency=50ms,error=0.1,timeout=0.02,thread=0.05,budget=0.01,drop=0.05,seed=7")
    var faults: String?

    @Option(help: "Requests per rolling hour before the sandbox refuses calls, as Autotask does.")
    var hourlyThreshold = 10_000

    @Option(help: "The API integration code the sandbox accepts.")
    var integrationCode = "LIFTOFF-SANDBOX"

    @Option(help: "The API user name the sandbox accepts.")
    var user = "liftoff@sandbox.local"

    @Option(help: "The API secret the sandbox accepts.")
    var secret = "sandbox-secret"

    @Option(help: "Form of the timeZoneID picklist labels: windows-id, display, gmt-display or index.")
    var zoneLabels = ZoneLabelForm.display.rawValue

    @OptionGroup var startInstant: StartInstantOption

    func run() async throws {
        let clock = try startInstant.clock()
        guard let zoneLabelForm = ZoneLabelForm(rawValue: zoneLabels) else {
            throw ValidationError(
                "--zone-labels: expected one of \(ZoneLabelForm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var configuration = SandboxConfiguration(
            integrationCode: integrationCode, userName: user, secret: secret, hourlyThreshold: hourlyThreshold,
            zoneLabels: zoneLabelForm)
        if let faults {
            do {
                configuration.faults = try SandboxFaults(parsing: faults)
            } catch {
                throw ValidationError("--faults: \(error)")
            }
        }
        let records = try initialRecords(now: clock.now())
        let sandbox = SandboxServer(configuration: configuration, records: records, clock: clock)
        if let state { await sandbox.persist(to: URL(fileURLWithPath: state)) }
        let bound = try await sandbox.start(host: host, port: port)
        let counts = records.keys.sorted().map { "\(records[$0]!.count) \($0)" }.joined(separator: ", ")
        FileHandle.standardOutput.write(
            Data(
                """
                Autotask sandbox listening on http://\(host):\(bound)/ATServicesRest/V1.0/
                  discovery URL:    \(SandboxServer.discoveryURL(host: host, port: bound).absoluteString)
                  integration code: \(integrationCode)
                  user name:        \(user)
                  secret:           \(secret)
                  data:             \(counts.isEmpty ? "empty" : counts)
                Press Ctrl-C to stop.

                """.utf8))
        await SignalWaiter.waitForInterrupt()
        await sandbox.shutdown()
        print("Sandbox stopped.")
    }

    private func initialRecords(now: Date) throws -> [String: [JSONObject]] {
        if let state, FileManager.default.fileExists(atPath: state) {
            return try read(state)
        }
        switch seed {
        case "demo": return DemoMSP.records(now: now)
        case "empty": return [:]
        default: return try read(seed)
        }
    }

    private func read(_ path: String) throws -> [String: [JSONObject]] {
        do {
            return try SandboxStateFile.records(from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ValidationError("cannot load \(path): \(error)")
        }
    }
}

/// Waits for SIGINT or SIGTERM, so the command can shut its server down cleanly.
enum SignalWaiter {
    static func waitForInterrupt() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumer = Resumer(continuation)
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { resumer.resume() }
                source.resume()
                Resumer.sources.append(source)
            }
        }
    }

    private final class Resumer: @unchecked Sendable {
        nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Void, Never>?

        init(_ continuation: CheckedContinuation<Void, Never>) {
            self.continuation = continuation
        }

        func resume() {
            lock.withLock {
                continuation?.resume()
                continuation = nil
            }
        }
    }
}
