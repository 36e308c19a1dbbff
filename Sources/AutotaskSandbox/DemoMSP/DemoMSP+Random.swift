import LiftoffCore

extension DemoMSP {
    /// One independent stream per kind of record, so adding a ticket template does not reshuffle
    /// everybody's calendar.
    enum Stream: UInt64 {
        case timeOff = 1, appointments, tickets, serviceCalls
    }
}

extension SplitMix64 {
    /// Fisher–Yates, spelled out so the order never depends on the standard library's algorithm.
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(index, int(0...index))
        }
        return result
    }
}
