extension Array {
    /// The array cut into consecutive pieces of at most `size`: one statement or one Autotask `in`
    /// filter each. 500 Store rows bind at most 14 values apiece, 7,000 in all (PostgreSQL takes
    /// 65,535; SQLite as built here far more); Autotask's `in` takes a few hundred values.
    func batches(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
