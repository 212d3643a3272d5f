import Synchronization

/// When graceful shutdown stops retrying: unset while the service runs.
final class ShutdownDeadline: Sendable {
    private let deadline = Mutex<ContinuousClock.Instant?>(nil)

    func begin(after timeout: Duration) {
        self.deadline.withLock { $0 = $0 ?? ContinuousClock.now + timeout }
    }

    var instant: ContinuousClock.Instant? { self.deadline.withLock { $0 } }

    var isShuttingDown: Bool { self.instant != nil }

    var hasPassed: Bool { self.instant.map { ContinuousClock.now >= $0 } ?? false }
}
