import Synchronization
import VigilCore

/// Remembers that the database was just found unreachable, so the calls that follow fail at
/// once instead of each waiting out the timeout: during an outage a request answers 503 in
/// microseconds rather than after one timeout per database call it would make. After
/// `holdOff` the next call tries the database again, so recovery is noticed within that time.
///
/// A final class whose only stored properties are a constant and a `Mutex`, so `Sendable`.
final class OutageGate: Sendable {
    private let holdOff: Duration
    private let reopensAt = Mutex<ContinuousClock.Instant?>(nil)

    init(holdOff: Duration = .seconds(1)) {
        self.holdOff = holdOff
    }

    /// Throws `unavailable` while the hold-off after the last outage lasts.
    func check() throws {
        let now = ContinuousClock.now
        let closed = self.reopensAt.withLock { until in
            guard let reopens = until else { return false }
            if now >= reopens {
                until = nil
                return false
            }
            return true
        }
        if closed { throw VigilError.unavailable(retryAfter: PostgresFailure.retryAfterSeconds) }
    }

    /// Records that a call found the database unreachable.
    func recordOutage() {
        let until = ContinuousClock.now.advanced(by: self.holdOff)
        self.reopensAt.withLock { $0 = until }
    }
}
