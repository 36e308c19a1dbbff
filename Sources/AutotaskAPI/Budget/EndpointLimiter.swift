/// Keeps at most `limit` requests in flight per endpoint, queueing the rest in arrival order.
///
/// Autotask refuses a fourth concurrent request to one endpoint per integration; a refused request
/// costs budget and time, so the client never sends one.
actor EndpointLimiter {
    private let limit: Int
    private var inFlight: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    private(set) var highestInFlight = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func acquire(_ endpoint: String) async {
        if inFlight[endpoint, default: 0] < limit {
            inFlight[endpoint, default: 0] += 1
            highestInFlight = max(highestInFlight, inFlight[endpoint]!)
            return
        }
        await withCheckedContinuation { continuation in
            waiting[endpoint, default: []].append(continuation)
        }
    }

    func release(_ endpoint: String) {
        if var queue = waiting[endpoint], !queue.isEmpty {
            // The slot passes straight to the next waiter; the count stays.
            let next = queue.removeFirst()
            waiting[endpoint] = queue
            next.resume()
        } else {
            inFlight[endpoint, default: 1] -= 1
        }
    }
}
