import Synchronization
import VigilCore

/// Remembers that the database was just found unreachable, so the calls that follow fail at
/// once instead of each waiting out the timeout: during an outage a request answers 503 in
/// microseconds rather than after one timeout per database call it would make. After
/// `holdOff` the next call tries the database again, so recovery is noticed within that time.
///
/// A final class whose only stored properties are a constant and a `Mutex`, so `Sendable`.
final class OutageGate: Sendable {
    private struct State {
        var reopensAt: ContinuousClock.Instant?
        var down = false
    }

    private let holdOff: Duration
    private let state = Mutex(State())

    init(holdOff: Duration = .seconds(1)) {
        self.holdOff = holdOff
    }

    /// Throws `unavailable` while the hold-off after the last outage lasts.
    func check() throws {
        let now = ContinuousClock.now
        let closed = self.state.withLock { state in
            guard let reopens = state.reopensAt else { return false }
            if now >= reopens {
                state.reopensAt = nil
                return false
            }
            return true
        }
        if closed { throw VigilError.unavailable(retryAfter: PostgresFailure.retryAfterSeconds) }
    }

    /// Records that a call found the database unreachable; true if it was up until now.
    func recordOutage() -> Bool {
        let until = ContinuousClock.now.advanced(by: self.holdOff)
        return self.state.withLock { state in
            state.reopensAt = until
            defer { state.down = true }
            return !state.down
        }
    }

    /// Records that a call succeeded; true if the database was down until now.
    func recordSuccess() -> Bool {
        self.state.withLock { state in
            defer { state.down = false }
            return state.down
        }
    }
}
