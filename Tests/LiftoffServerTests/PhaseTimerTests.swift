import Testing

@testable import LiftoffServer

/// The reflow's import-to-diff figure leaves out the time spent waiting for Autotask.
@Suite struct PhaseTimerTests {
    @Test func workLeavesOutTheImportsWaitForAutotask() async throws {
        var timer = PhaseTimer(apiTime: .seconds(5))
        try await Task.sleep(for: .milliseconds(60))
        // 40 ms of the import's 60 were spent waiting for answers (the client's total went 5 → 5.04 s).
        timer.end("import", apiTime: .seconds(5) + .milliseconds(40))
        try await Task.sleep(for: .milliseconds(30))
        timer.end("plan")
        let metadata = timer.metadata(technicians: 3)
        let importMs = try #require(Int("\(metadata["importMs"] ?? "")"))
        let planMs = try #require(Int("\(metadata["planMs"] ?? "")"))
        let workMs = try #require(Int("\(metadata["workMs"] ?? "")"))
        #expect(importMs >= 60 && planMs >= 30)
        #expect("\(metadata["importApiMs"] ?? "")" == "40")
        #expect(metadata["planApiMs"] == nil)
        #expect(workMs == importMs - 40 + planMs || workMs == importMs - 40 + planMs + 1)
        #expect("\(metadata["technicians"] ?? "")" == "3")
    }
}
