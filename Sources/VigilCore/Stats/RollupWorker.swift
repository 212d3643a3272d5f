import Logging
import Metrics

/// Keeps the rollups behind `GET /api/v1/stats` up to date by folding newly committed events
/// into them (`StatsStore.rollUp`). Statistics are exact whatever the lag — the events after
/// the checkpoint are counted directly — so the worker only has to keep that tail short.
///
/// Runs as exclusive work: in the process on SQLite, on the leader on PostgreSQL (where the
/// checkpoint row lock would also keep two workers from counting an event twice).
public struct RollupWorker: Sendable {
    public struct Configuration: Sendable {
        /// Events folded per transaction (each holds SQLite's write lock while it runs).
        public var batchSize: Int
        /// Pause after a step that found less than a full batch.
        public var idleInterval: Duration
        /// Pause after a full batch: short, but it lets ingest commits in between.
        public var busyInterval: Duration
        /// Pause after an error.
        public var retryDelay: Duration

        public init(
            batchSize: Int = 5000,
            idleInterval: Duration = .seconds(1),
            busyInterval: Duration = .milliseconds(20),
            retryDelay: Duration = .seconds(1)
        ) {
            self.batchSize = batchSize
            self.idleInterval = idleInterval
            self.busyInterval = busyInterval
            self.retryDelay = retryDelay
        }
    }

    let store: any StatsStore
    let configuration: Configuration
    let logger: Logger
    let folded: Counter

    public init(store: any StatsStore, configuration: Configuration = .init(), logger: Logger, metrics: any MetricsFactory) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.folded = Counter(label: "vigil_rollup_events_total", dimensions: [], factory: metrics)
    }

    /// Folds events until cancelled.
    public func follow() async {
        while !Task.isCancelled {
            let pause: Duration
            do {
                let count = try await self.store.rollUp(limit: self.configuration.batchSize)
                self.folded.increment(by: count)
                pause = count >= self.configuration.batchSize ? self.configuration.busyInterval : self.configuration.idleInterval
            } catch {
                if Task.isCancelled { return }
                self.logger.warning("rollup step failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                pause = self.configuration.retryDelay
            }
            try? await Task.sleep(for: pause)
        }
    }
}
