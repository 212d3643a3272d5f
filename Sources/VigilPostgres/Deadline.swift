import Synchronization
import VigilCore

/// Runs database work with an upper bound on how long a caller waits.
///
/// When PostgreSQL is down, the pool keeps a lease request waiting while it reconnects, and a
/// query on a half-open connection may never answer; a request must instead fail fast with 503.
/// The operation runs in its own task so an operation that ignores cancellation cannot hold the
/// caller: at the deadline the caller gets `DeadlineExceeded` at once and the operation is
/// cancelled (the server's `statement_timeout`, set to the same value, ends the query itself).
/// A write that times out may still commit later; the caller never got a 2xx for it, and
/// retrying with the same client id is idempotent.
enum Deadline {
    static func run<T: Sendable>(
        _ timeout: Duration,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                race.start(continuation, timeout: timeout, operation)
            }
        } onCancel: {
            race.cancel()
        }
    }
}

/// An operation ran past its deadline (mapped to `VigilError.unavailable` by `PostgresFailure`).
struct DeadlineExceeded: Error {}

/// The shared state of one deadline race: whoever finishes first resumes the caller.
///
/// A final class with a `Mutex` as its only stored property, so `Sendable` without `@unchecked`.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var cancelled = false
    }

    private let state = Mutex(State())

    func start(
        _ continuation: CheckedContinuation<T, any Error>,
        timeout: Duration,
        _ operation: @escaping @Sendable () async throws -> T
    ) {
        let alreadyCancelled = self.state.withLock { state in
            state.continuation = continuation
            return state.cancelled
        }
        if alreadyCancelled {
            self.finish(.failure(CancellationError()))
            return
        }
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self.finish(.failure(DeadlineExceeded()))
        }
        let work = Task {
            let result = await Result(catching: { try await operation() })
            self.finish(result)
        }
        let finished = self.state.withLock { state in
            state.timer = timer
            state.work = work
            return state.continuation == nil
        }
        // The work may have finished before its handle was stored; stop the timer ourselves.
        if finished { timer.cancel() }
    }

    func cancel() {
        self.state.withLock { $0.cancelled = true }
        self.finish(.failure(CancellationError()))
    }

    private func finish(_ result: Result<T, any Error>) {
        let (continuation, work, timer) = self.state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.work, state.timer)
        }
        guard let continuation else { return }
        timer?.cancel()
        if case .failure = result { work?.cancel() }
        continuation.resume(with: result)
    }
}
