import Dispatch
import Foundation

/// Ctrl-C (SIGINT) and SIGTERM, caught from the moment it is made: a server started in stages
/// notices an interrupt that came during start-up and still stops in order, and waits for one
/// once it is running.
final class InterruptSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var received = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether an interrupt has come.
    var hasFired: Bool {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    private func fire() {
        lock.lock()
        received = true
        let pending = waiter
        waiter = nil
        lock.unlock()
        pending?.resume()
    }

    /// Returns once an interrupt has come (at once if one already did).
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if received {
                lock.unlock()
                continuation.resume()
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}
