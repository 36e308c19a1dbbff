/// A half-open stretch of time `[start, end)` in UTC milliseconds: the planner's working unit.
struct Span: Hashable, Sendable {
    var start: Int64
    var end: Int64

    var length: Int64 { end - start }

    func overlaps(_ other: Span) -> Bool {
        start < other.end && other.start < end
    }
}

extension Array where Element == Span {
    /// In a list sorted by start whose ends are sorted too (disjoint spans), the index of the first
    /// span that ends after `instant`, or `count`.
    func firstIndex(endingAfter instant: Int64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].end > instant { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// In a list sorted by start, the index of the first span starting at or after `instant`, or `count`.
    func firstIndex(startingAtOrAfter instant: Int64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].start >= instant { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// In a disjoint sorted list, the first span overlapping `span`, if any.
    func firstOverlap(with span: Span) -> Span? {
        let index = firstIndex(endingAfter: span.start)
        return index < count && self[index].start < span.end ? self[index] : nil
    }

    /// The union of these spans as a sorted, disjoint list without empty spans; touching spans merge.
    func merged() -> [Span] {
        var result: [Span] = []
        for span in sorted(by: { $0.start < $1.start }) where span.end > span.start {
            if let last = result.last, span.start <= last.end {
                result[result.count - 1].end = Swift.max(last.end, span.end)
            } else {
                result.append(span)
            }
        }
        return result
    }
}

extension Array where Element == Int64 {
    /// In a sorted list, the index of the first value greater than `value`, or `count`.
    func firstIndex(greaterThan value: Int64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] > value { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Inserts `value` keeping the list sorted.
    mutating func insertSorted(_ value: Int64) {
        insert(value, at: firstIndex(greaterThan: value))
    }

    /// Removes one occurrence of `value` from a sorted list.
    mutating func removeSorted(_ value: Int64) {
        let index = firstIndex(greaterThan: value) - 1
        if index >= 0 && self[index] == value { remove(at: index) }
    }
}
