import Logging
import Metrics

/// Repeats one step of a follower of the committed log (fold or index up to `batchSize`
/// events after its checkpoint, in one transaction) until cancelled, pausing briefly after a
/// full batch and longer once it has caught up. Used by the rollups and by engine-owned
/// indexes (SQLite's word index); each step is exact on its own, so the loop only keeps lag short.
public struct StepFollower: Sendable {
    public struct Configuration: Sendable {
        /// Events per step (each holds SQLite's write lock while it runs).
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

    let name: String
    let configuration: Configuration
    let step: @Sendable (Int) async throws -> Int
    let logger: Logger
    let done: Counter

    /// `step(limit)` returns how many events it took; `counterLabel` counts them.
    public init(
        name: String,
        configuration: Configuration,
        counterLabel: String,
        logger: Logger,
        metrics: any MetricsFactory,
        step: @escaping @Sendable (Int) async throws -> Int
    ) {
        self.name = name
        self.configuration = configuration
        self.step = step
        self.logger = logger
        self.done = Counter(label: counterLabel, dimensions: [], factory: metrics)
    }

    /// Steps until cancelled.
    public func follow() async {
        while !Task.isCancelled {
            let pause: Duration
            do {
                let count = try await self.step(self.configuration.batchSize)
                self.done.increment(by: count)
                pause = count >= self.configuration.batchSize ? self.configuration.busyInterval : self.configuration.idleInterval
            } catch {
                if Task.isCancelled { return }
                self.logger.warning("\(self.name) step failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                pause = self.configuration.retryDelay
            }
            try? await Task.sleep(for: pause)
        }
    }
}
