import Synchronization

/// The deliverer's count of attempts in flight, shared with the attempt tasks.
final class InFlightCount: Sendable {
    private let count = Mutex(0)

    var value: Int { self.count.withLock { $0 } }

    func add(_ delta: Int) { self.count.withLock { $0 += delta } }
}
