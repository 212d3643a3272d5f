import Logging
import Metrics
import ServiceLifecycle

/// The single writer of the event log: group commit.
///
/// Callers `append` a submission and wait. While a transaction is being committed, new
/// submissions queue up; the next transaction takes everything queued (up to `maxBatchEvents`),
/// so batches grow with load and stay at size one when idle. A caller is resumed only after its
/// transaction committed, so an acknowledged event is never lost. Up to
/// `maxConcurrentCommits` transactions run at once: 1 for SQLite (one write connection); more
/// on PostgreSQL, whose server works on several at a time while this process prepares the next.
///
/// The queue is bounded (`maxQueuedEvents`): past it callers get `VigilError.overloaded`.
/// On graceful shutdown the writer stops accepting, drains and commits what is queued, then returns.
public actor EventWriter: Service {
    public struct Configuration: Sendable {
        public var maxQueuedEvents: Int
        public var maxBatchEvents: Int
        public var maxConcurrentCommits: Int

        public init(maxQueuedEvents: Int = 50_000, maxBatchEvents: Int = 5_000, maxConcurrentCommits: Int = 1) {
            self.maxQueuedEvents = maxQueuedEvents
            self.maxBatchEvents = maxBatchEvents
            self.maxConcurrentCommits = max(1, maxConcurrentCommits)
        }
    }

    private struct Pending {
        let events: [PreparedEvent]
        let continuation: CheckedContinuation<SubmissionResult, any Error>
    }

    private enum State {
        case accepting, draining
    }

    private let store: any EventStore
    private let configuration: Configuration
    private let logger: Logger
    private let batchSizes: Recorder
    private let commitTimer: Metrics.Timer
    private let ingested: Counter
    private var queue: [Pending] = []
    private var queuedEvents = 0
    private var commitsInFlight = 0
    private var state = State.accepting
    private var wakeUp: CheckedContinuation<Void, Never>?
    private let committed: WakeSignal?

    /// `committed` is notified after every commit that stored events (the detector's wake-up).
    public init(
        store: any EventStore,
        configuration: Configuration = .init(),
        committed: WakeSignal? = nil,
        logger: Logger,
        metrics: any MetricsFactory
    ) {
        self.store = store
        self.committed = committed
        self.configuration = configuration
        self.logger = logger
        self.batchSizes = Recorder(label: "vigil_group_commit_events", dimensions: [], aggregate: true, factory: metrics)
        self.commitTimer = Metrics.Timer(label: "vigil_group_commit_duration_seconds", dimensions: [], factory: metrics)
        self.ingested = Counter(label: "vigil_events_ingested_total", dimensions: [], factory: metrics)
    }

    /// Events waiting for the next commit (not counting the one in progress).
    public var queuedEventCount: Int { self.queuedEvents }

    /// False once graceful shutdown has begun.
    public var isAccepting: Bool { self.state == .accepting }

    /// Queues one submission (all-or-nothing) and returns once it has been committed (or rejected
    /// as a whole, see `EventStore.write`). Throws `VigilError.overloaded` when the queue is full,
    /// `VigilError.unavailable` when shutting down or when the commit failed (nothing was written).
    /// `exemptFromQueueLimit` is for self-audit records, which are few per request and must
    /// not be refused because clients filled the queue.
    public func append(_ events: [PreparedEvent], exemptFromQueueLimit: Bool = false) async throws -> SubmissionResult {
        guard self.state == .accepting else { throw VigilError.unavailable(retryAfter: 1) }
        guard exemptFromQueueLimit || self.queue.isEmpty || self.queuedEvents + events.count <= self.configuration.maxQueuedEvents
        else {
            throw VigilError.overloaded(retryAfter: 1)
        }
        return try await withCheckedThrowingContinuation { continuation in
            self.queue.append(Pending(events: events, continuation: continuation))
            self.queuedEvents += events.count
            self.wake()
        }
    }

    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await self.commitLoop()
            } onGracefulShutdown: {
                Task { await self.beginDraining() }
            }
        } onCancel: {
            Task { await self.beginDraining() }
        }
    }

    private func beginDraining() {
        self.state = .draining
        self.wake()
    }

    private func wake() {
        if let waiter = self.wakeUp {
            self.wakeUp = nil
            waiter.resume()
        }
    }

    private func commitLoop() async {
        await withDiscardingTaskGroup { group in
            while true {
                if !self.queue.isEmpty && self.commitsInFlight < self.configuration.maxConcurrentCommits {
                    let batch = self.takeBatch()
                    self.commitsInFlight += 1
                    group.addTask { await self.commit(batch) }
                    continue
                }
                if self.queue.isEmpty && self.commitsInFlight == 0 && self.state == .draining { break }
                // Woken by a new submission, a finished commit, or the start of draining.
                await withCheckedContinuation { self.wakeUp = $0 }
            }
        }
        self.logger.debug("event writer drained")
    }

    private func commit(_ batch: [Pending]) async {
        await self.commitIsolating(batch)
        self.commitsInFlight -= 1
        self.wake()
    }

    /// Commits `batch` in one transaction. When that fails for any reason but the database
    /// being out of reach or overloaded, its halves are committed apart, recursively: one
    /// submission the engine refuses costs about 2·log₂(n) extra transactions, and it alone gets
    /// the error, never the other clients (or audit records) that shared its group.
    private func commitIsolating(_ batch: [Pending]) async {
        let started = ContinuousClock.now
        do {
            let results = try await self.store.write(batch.map(\.events))
            self.commitTimer.recordInterval(since: started)
            var created = 0
            for (pending, result) in zip(batch, results) {
                if case .committed(let outcomes) = result {
                    created += outcomes.count { !$0.isDuplicate }
                }
                pending.continuation.resume(returning: result)
            }
            self.ingested.increment(by: created)
            if created > 0 { self.committed?.notify() }
        } catch {
            if batch.count > 1, !Self.isTransient(error) {
                self.logger.warning(
                    "group commit failed; committing its submissions apart",
                    metadata: ["error": "\(error)", "submissions": "\(batch.count)"]
                )
                let middle = batch.count / 2
                await self.commitIsolating(Array(batch[..<middle]))
                await self.commitIsolating(Array(batch[middle...]))
                return
            }
            self.logger.error("group commit failed", metadata: ["error": "\(error)", "submissions": "\(batch.count)"])
            let failure = (error as? VigilError) ?? VigilError.unavailable(retryAfter: 1)
            for pending in batch { pending.continuation.resume(throwing: failure) }
        }
    }

    /// Failures that say nothing about the submissions (retrying parts would only add load).
    static func isTransient(_ error: any Error) -> Bool {
        switch error as? VigilError {
        case .unavailable, .overloaded: true
        default: error is CancellationError
        }
    }

    /// Removes the oldest submissions from the queue, at least one, up to `maxBatchEvents` events.
    private func takeBatch() -> [Pending] {
        var count = 0
        var taken = 0
        for pending in self.queue {
            if taken > 0 && count + pending.events.count > self.configuration.maxBatchEvents { break }
            count += pending.events.count
            taken += 1
        }
        let batch = Array(self.queue.prefix(taken))
        self.queue.removeFirst(taken)
        self.queuedEvents -= count
        self.batchSizes.record(count)
        return batch
    }
}

extension Metrics.Timer {
    /// Records the time elapsed since `start`.
    public func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        self.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
