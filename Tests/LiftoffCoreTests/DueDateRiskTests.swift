import LiftoffCore
import Testing

/// At risk, told apart: late by how much, or not finishing within the horizon at all.
struct DueDateRiskTests {
    static func entry(finish: String?, due: String?) -> WorkboardEntry {
        WorkboardEntry(
            activityId: "NA-1", position: 1, estimatedStart: nil, estimatedFinish: finish.map(Fixture.instant),
            dueDateTime: due.map(Fixture.instant), atRisk: false)
    }

    static func time(_ instant: Instant) -> String { RFC3339.format(instant) }

    @Test func noDueDateIsNoRisk() {
        #expect(DueDateRisk(Self.entry(finish: "2026-03-02T16:00:00Z", due: nil)) == nil)
    }

    @Test func finishingExactlyWhenDueIsOnTime() throws {
        let risk = try #require(DueDateRisk(Self.entry(finish: "2026-03-02T16:00:00Z", due: "2026-03-02T16:00:00Z")))
        #expect(!risk.isAtRisk)
        #expect(risk.kind == "on-time")
        #expect(risk.sentence(time: Self.time) == "due 2026-03-02T16:00:00Z")
    }

    @Test func lateSaysByHowMuch() throws {
        let risk = try #require(DueDateRisk(Self.entry(finish: "2026-03-03T09:15:00Z", due: "2026-03-02T16:00:00Z")))
        #expect(risk.isAtRisk)
        #expect(risk.kind == "late")
        #expect(risk.minutesLate == Int64(1035))
        #expect(
            risk.sentence(time: Self.time)
                == "due 2026-03-02T16:00:00Z; the work finishes 2026-03-03T09:15:00Z, 17 h 15 min late")
    }

    @Test func aSecondLateCountsAsAMinute() throws {
        let risk = try #require(DueDateRisk(Self.entry(finish: "2026-03-02T16:00:01Z", due: "2026-03-02T16:00:00Z")))
        #expect(risk.minutesLate == 1)
    }

    @Test func unfinishedWithinTheHorizonIsItsOwnKind() throws {
        let risk = try #require(DueDateRisk(Self.entry(finish: nil, due: "2026-03-02T16:00:00Z")))
        #expect(risk.isAtRisk)
        #expect(risk.kind == "not-within-horizon")
        #expect(risk.minutesLate == nil)
        #expect(
            risk.sentence(time: Self.time)
                == "due 2026-03-02T16:00:00Z; the work does not finish within the planning horizon")
    }

    @Test(arguments: [
        (Int64(45), "45 min"), (180, "3 h"), (1035, "17 h 15 min"), (1440, "1 d"), (3120, "2 d 4 h"), (0, "0 min"),
    ])
    func spansAreShort(_ minutes: Int64, _ text: String) {
        #expect(DueDateRisk.span(minutes) == text)
    }

    /// The planner's `atRisk` and this type never disagree.
    @Test(arguments: [("2026-03-02T17:00:00Z", true), ("2026-03-02T15:00:00Z", false)])
    func agreesWithThePlannersAtRisk(_ finish: String, _ atRisk: Bool) throws {
        let risk = try #require(DueDateRisk(Self.entry(finish: finish, due: "2026-03-02T16:00:00Z")))
        #expect(risk.isAtRisk == atRisk)
    }
}
