import Foundation
import Logging
import Metrics

/// Follows the committed event log and extends the Merkle tree over it: each event, in log
/// order, becomes the leaf `SHA-256(0x00 ‖ its API JSON)`; each step stores the new leaves, the
/// perfect subtrees they complete and a checkpoint signed with the active key, in one
/// compare-and-set transaction (`LedgerStore.commitSeal`), so a crash or a deposed leader never
/// leaves a gap, a fork or a leaf twice. Runs as exclusive work: one sealer per database.
public struct LedgerSealer: Sendable {
    public struct Configuration: Sendable {
        /// Time between steps: an event is sealed within about this long of its commit.
        public var interval: Duration
        /// Events read per query.
        public var batchSize: Int
        /// Most leaves one step seals (a first start over a large log seals it in steps).
        public var maxLeavesPerStep: Int
        /// Least time between two checkpoints filed in the history (every step's checkpoint
        /// becomes the head; the history keeps one per this interval, and each key's first).
        public var historyInterval: Duration
        public var retryDelay: Duration

        public init(
            interval: Duration = .seconds(1),
            batchSize: Int = 5000,
            maxLeavesPerStep: Int = 50_000,
            historyInterval: Duration = .seconds(60),
            retryDelay: Duration = .seconds(1)
        ) {
            self.interval = interval
            self.batchSize = batchSize
            self.maxLeavesPerStep = maxLeavesPerStep
            self.historyInterval = historyInterval
            self.retryDelay = retryDelay
        }
    }

    let store: any LedgerStore
    /// The committed log the leaves come from (the store itself, or a `SharedLogTail` over it).
    let log: any EventLogReader
    let signer: LedgerSigner
    /// The origin for a new log; a stored log keeps the origin it was started with.
    let origin: String
    let configuration: Configuration
    let logger: Logger
    let sealed: Counter
    let treeSize: Gauge
    let lag: Metrics.Timer

    public init(
        store: any LedgerStore,
        log: any EventLogReader,
        signer: LedgerSigner,
        origin: String,
        configuration: Configuration = .init(),
        logger: Logger,
        metrics: any MetricsFactory
    ) {
        self.store = store
        self.log = log
        self.signer = signer
        self.origin = origin
        self.configuration = configuration
        self.logger = logger
        self.sealed = Counter(label: "vigil_ledger_leaves_total", dimensions: [], factory: metrics)
        self.treeSize = Gauge(label: "vigil_ledger_tree_size", dimensions: [], factory: metrics)
        self.lag = Metrics.Timer(label: "vigil_ledger_seal_lag_seconds", dimensions: [], factory: metrics)
    }

    /// Seals until cancelled, starting again from the stored state after any error.
    public func follow() async {
        while !Task.isCancelled {
            do {
                var state = try await self.startingState()
                while true {
                    try Task.checkCancellation()
                    state = try await self.step(from: state)
                    try await Task.sleep(for: self.configuration.interval)
                }
            } catch {
                if Task.isCancelled { break }
                self.logger.warning("ledger sealing restarts from the stored tree", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: self.configuration.retryDelay)
            }
        }
    }

    func startingState() async throws -> LedgerState {
        guard let stored = try await self.store.ledgerState() else { return LedgerState(origin: self.origin) }
        if stored.origin != self.origin {
            self.logger.warning(
                "VIGIL_LEDGER_ORIGIN differs from the log's origin, which cannot change; keeping the stored one",
                metadata: ["stored": "\(stored.origin)", "configured": "\(self.origin)"]
            )
        }
        self.treeSize.record(stored.frontier.size)
        return stored
    }

    /// Seals every committed event after `state` (up to `maxLeavesPerStep`); returns the new
    /// state, or `state` itself when there was nothing to seal.
    public func step(from state: LedgerState) async throws -> LedgerState {
        var next = state
        var leaves: [LedgerLeaf] = []
        var nodes: [MerkleNode] = []
        var oldest: Timestamp?
        var json = JSONWriter(capacity: 4096)
        while leaves.count < self.configuration.maxLeavesPerStep {
            let limit = min(self.configuration.batchSize, self.configuration.maxLeavesPerStep - leaves.count)
            let batch = try await self.log.committedEvents(after: next.position, limit: limit)
            // Only an empty read is the end: a shared tail may answer with fewer than `limit`.
            if batch.events.isEmpty { break }
            for event in batch.events {
                json.reset()
                event.writeJSON(into: &json)
                let hash = Merkle.leafHash(json.bytes)
                leaves.append(LedgerLeaf(index: next.frontier.size, eventID: event.id, hash: hash))
                nodes += next.frontier.append(hash).filter { $0.address.level >= MerkleNode.lowestStoredLevel }
                oldest = min(oldest ?? event.receivedAt, event.receivedAt)
            }
            next.position = batch.position
        }
        guard !leaves.isEmpty else { return state }
        let now = Timestamp.now()
        let key = try await self.signer.activeKey(origin: state.origin, store: self.store, now: now)
        next.checkpoint = try Checkpoint(origin: state.origin, size: next.frontier.size, rootHash: next.frontier.root).signed(by: key)
        next.sealedAt = now
        // The history keeps the first checkpoint of each interval and each key's first.
        let bucket = { (time: Timestamp) in time.microseconds / max(1, self.configuration.historyInterval.microseconds) }
        let keep = state.sealedAt.map { bucket($0) != bucket(now) } ?? true || Checkpoint.keyHashes(in: state.checkpoint ?? "") != [key.keyHash]
        try await self.store.commitSeal(
            LedgerSeal(expectedSize: state.frontier.size, leaves: leaves, nodes: nodes, state: next, keepCheckpoint: keep)
        )
        self.sealed.increment(by: leaves.count)
        self.treeSize.record(next.frontier.size)
        if let oldest { self.lag.recordMicroseconds(max(0, now.microseconds - oldest.microseconds)) }
        return next
    }
}

extension Duration {
    /// The duration in whole microseconds.
    var microseconds: Int64 {
        let parts = self.components
        return parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
    }
}
