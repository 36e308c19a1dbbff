import Testing

@testable import LiftoffServer

/// Every element lands in exactly one batch, in order, none larger than asked: a lost tail would drop
/// tickets from an import, an oversized batch would break a database's limit on bound values.
@Suite struct BatchesTests {
    @Test(arguments: [(0, 500), (1, 500), (499, 500), (500, 500), (501, 500), (1_201, 400)])
    func batchesKeepEveryElementInOrderAndStayWithinTheSize(count: Int, size: Int) {
        let items = Array(0..<count)
        let batches = items.batches(of: size)
        #expect(batches.flatMap { $0 } == items)
        #expect(batches.allSatisfy { !$0.isEmpty && $0.count <= size })
        #expect(batches.count == (count + size - 1) / size)
    }
}
