import Synchronization

/// Tells whether the snapshot xmin the log readers see has stood still for at least `stall`.
/// Only then, and only when a read below it returned nothing, do readers look past it to
/// this database's horizon (`PostgresLogHorizon`).
///
/// Measured with `scripts/bench.sh` (`DETECTION=1`, PostgreSQL): asking for the horizon on
/// every short read (0.21.1) raised the idle ingest→alert p50 from 148 ms to 225–242 ms, and
/// in four of seven runs detection stalled for 1–10 s or longer; reading below the xmin alone
/// showed neither in six runs (see `docs/benchmarks.md`, issue 21, third part). Short
/// transactions move the xmin within milliseconds; one that holds it for `stall` is long, and
/// possibly in another database, whose transactions cannot write Vigil's events.
///
/// A final class whose only stored properties are a constant and a `Mutex`, so `Sendable`.
final class XminWatch: Sendable {
    private struct State {
        var xmin: String?
        var since = ContinuousClock.now
    }

    private let stall: Duration
    private let state = Mutex(State())

    init(stall: Duration = .seconds(2)) {
        self.stall = stall
    }

    /// Records the xmin just read; true if it has had this value for at least `stall`.
    func isStalled(at xmin: String) -> Bool {
        let now = ContinuousClock.now
        return self.state.withLock { state in
            if state.xmin != xmin { (state.xmin, state.since) = (xmin, now) }
            return now - state.since >= self.stall
        }
    }
}
