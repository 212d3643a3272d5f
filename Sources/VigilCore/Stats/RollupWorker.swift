import Logging
import Metrics

/// Keeps the rollups behind `GET /api/v1/stats` up to date by folding newly committed events
/// into them (`StatsStore.rollUp`). Statistics are exact whatever the lag — the events after
/// the checkpoint are counted directly — so the worker only has to keep that tail short.
///
/// Runs as exclusive work: in the process on SQLite, on the leader on PostgreSQL (where the
/// checkpoint row lock would also keep two workers from counting an event twice).
public struct RollupWorker: Sendable {
    public typealias Configuration = StepFollower.Configuration

    let follower: StepFollower

    public init(store: any StatsStore, configuration: Configuration = .init(), logger: Logger, metrics: any MetricsFactory) {
        self.follower = StepFollower(
            name: "rollup",
            configuration: configuration,
            counterLabel: "vigil_rollup_events_total",
            logger: logger,
            metrics: metrics
        ) { limit in
            try await store.rollUp(limit: limit)
        }
    }

    /// Folds events until cancelled.
    public func follow() async {
        await self.follower.follow()
    }
}
