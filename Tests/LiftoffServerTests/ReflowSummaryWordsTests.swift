import Foundation
import Testing

@testable import LiftoffServer

/// The last reflow on Settings reads as a dispatcher would say it, not as a raw UTC stamp and counts.
struct ReflowSummaryWordsTests {
    static let start = Date(timeIntervalSince1970: 1_788_875_280)  // Tue 2026-09-08 13:48 UTC

    static let elapsed: [(TimeInterval, String)] = [
        (30, "less than a minute ago"), (60, "1 minute ago"), (720, "12 minutes ago"), (3600, "1 hour ago"),
        (18_059, "5 hours ago"), (172_800, "2 days ago"), (-5, "just now"),
    ]

    @Test(arguments: elapsed)
    func elapsedTimeIsSaidInWords(_ seconds: TimeInterval, _ words: String) {
        #expect(ElapsedTime.ago(from: Self.start, to: Self.start.addingTimeInterval(seconds)) == words)
    }

    @Test func theRunSaysWhenWhoAndWhatInWords() {
        let run = ReflowRunRecord()
        run.startedAt = Self.start
        run.trigger = "schedule"
        run.outcome = "succeeded"
        (run.created, run.moved, run.removed, run.apiRequests) = (229, 1, 0, 340)
        let view = SettingsPages.RunView(run, now: Self.start.addingTimeInterval(12 * 60))
        #expect(view.when == "12 minutes ago (Tue 8 Sep 13:48 UTC)")
        #expect(view.trigger == "started by the schedule")
        #expect(view.summary == "229 new calendar entries, 1 moved; 340 Autotask API requests")
        #expect(view.startedAt == "2026-09-08T13:48:00Z")
        (run.created, run.moved, run.removed, run.apiRequests) = (0, 0, 0, 1)
        #expect(SettingsPages.RunView.summary(run) == "the calendar was already right; 1 Autotask API request")
    }
}
