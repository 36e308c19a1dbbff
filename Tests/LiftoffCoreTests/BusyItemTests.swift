import LiftoffCore
import Testing

/// Which kinds of busy item keep Next Activities out, under which settings.
@Suite struct BusyItemTests {
    typealias F = Fixture

    struct Case: Sendable, CustomTestStringConvertible {
        let kind: BusyItem.Kind
        let showAs: BusyItem.ShowAs?
        let status: BusyItem.Status?
        let blockOnFree: Bool
        let blocks: Bool
        var testDescription: String {
            "\(kind) showAs=\(showAs.map(\.rawValue) ?? "-") status=\(status.map(\.rawValue) ?? "-") blockOnFree=\(blockOnFree)"
        }
    }

    static let cases: [Case] = [
        Case(kind: .external, showAs: .busy, status: nil, blockOnFree: true, blocks: true),
        Case(kind: .external, showAs: nil, status: nil, blockOnFree: false, blocks: true),
        Case(kind: .external, showAs: .free, status: nil, blockOnFree: true, blocks: true),
        Case(kind: .external, showAs: .free, status: nil, blockOnFree: false, blocks: false),
        Case(kind: .external, showAs: .tentative, status: nil, blockOnFree: false, blocks: true),
        Case(kind: .external, showAs: .oof, status: nil, blockOnFree: false, blocks: true),
        Case(kind: .imported, showAs: .free, status: nil, blockOnFree: false, blocks: true),
        Case(kind: .fixed, showAs: nil, status: .open, blockOnFree: true, blocks: true),
        Case(kind: .fixed, showAs: nil, status: nil, blockOnFree: true, blocks: true),
        Case(kind: .fixed, showAs: nil, status: .closed, blockOnFree: true, blocks: false),
        Case(kind: .fixed, showAs: nil, status: .canceled, blockOnFree: true, blocks: false),
        Case(kind: .timeOff, showAs: .free, status: .canceled, blockOnFree: false, blocks: true),
    ]

    @Test(arguments: cases)
    func blockingFollowsKindStatusAndShowAs(_ item: Case) {
        let busy = BusyItem(
            kind: item.kind, start: F.instant("2026-03-02T09:00:00Z"), end: F.instant("2026-03-02T10:00:00Z"),
            showAs: item.showAs, status: item.status)
        let plan = F.plan(
            F.technician(busy: [busy], activities: [F.activity("NA-1", minutes: 60)]), now: "2026-03-02T09:00:00Z",
            settings: F.settings(blockOnFree: item.blockOnFree))
        let expectedStart = item.blocks ? "2026-03-02T10:00:00Z" : "2026-03-02T09:00:00Z"
        #expect(plan.calendar.first?.start == F.instant(expectedStart))
        #expect(plan.entry("NA-1")?.estimatedStart == F.instant(expectedStart))
    }

    @Test func anEmptyBusyItemBlocksNothing() {
        let plan = F.plan(
            F.technician(
                busy: [F.busy(.timeOff, "2026-03-02T09:30:00Z", "2026-03-02T09:30:00Z")],
                activities: [F.activity("NA-1", minutes: 60)]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.blockSummary == ["NA-1 2026-03-02T09:00:00Z–2026-03-02T10:00:00Z"])
    }

    @Test func timeOffAcrossDaysBlocksEveryShiftItCovers() {
        let plan = F.plan(
            F.technician(
                busy: [F.busy(.timeOff, "2026-03-02T00:00:00Z", "2026-03-04T12:00:00Z")],
                activities: [F.activity("NA-1", minutes: 60)]),
            now: "2026-03-02T09:00:00Z")
        #expect(plan.blockSummary == ["NA-1 2026-03-04T12:00:00Z–2026-03-04T13:00:00Z"])
    }
}
