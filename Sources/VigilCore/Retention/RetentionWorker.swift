import Foundation
import Logging
import Metrics

/// What one retention run did.
public struct RetentionOutcome: Sendable, Equatable {
    public var deleted = 0
    public var partitionsDropped: [String] = []
    /// Expired events a legal hold kept.
    public var held = 0
    /// Expired events left for the next run because they are not sealed yet.
    public var unsealed = 0

    public init() {}
}

/// Deletes expired events (`RetentionPolicy`) that no legal hold keeps, on a schedule, as
/// exclusive work (one per database). Whole partitions go first where the engine has them
/// and everything in one has expired; the rest goes row by row, a page per transaction. With
/// the ledger on, only sealed events are deleted, their leaf hashes stay, and each
/// transaction writes the `retention.deleted` record that accounts for them.
public struct RetentionWorker: Sendable {
    public struct Configuration: Sendable {
        public var interval: Duration
        public var pageSize: Int
        /// Whether the ledger runs: then an unsealed event waits for the sealer.
        public var requireSealed: Bool

        public init(interval: Duration = .seconds(3600), pageSize: Int = 1000, requireSealed: Bool = true) {
            self.interval = interval
            self.pageSize = pageSize
            self.requireSealed = requireSealed
        }
    }

    let store: any RetentionStore & EventStore & LedgerStore
    public let policy: RetentionPolicy
    let configuration: Configuration
    let logger: Logger
    let deletedCounter: Counter

    public init(
        store: any RetentionStore & EventStore & LedgerStore,
        policy: RetentionPolicy,
        configuration: Configuration = .init(),
        logger: Logger,
        metrics: any MetricsFactory
    ) {
        self.store = store
        self.policy = policy
        self.configuration = configuration
        self.logger = logger
        self.deletedCounter = Counter(label: "vigil_retention_deleted_total", dimensions: [], factory: metrics)
    }

    /// Runs at once, then every `interval`, until cancelled.
    public func follow() async {
        guard self.policy.isActive else { return }
        while !Task.isCancelled {
            do {
                let outcome = try await self.runOnce(now: .now())
                self.logger.info(
                    "retention run",
                    metadata: [
                        "deleted": "\(outcome.deleted)", "partitions": "\(outcome.partitionsDropped)", "held": "\(outcome.held)",
                        "unsealed": "\(outcome.unsealed)",
                    ]
                )
            } catch {
                if Task.isCancelled { break }
                self.logger.warning("retention run failed; trying again next time", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: self.configuration.interval)
        }
    }

    public func runOnce(now: Timestamp) async throws -> RetentionOutcome {
        var outcome = RetentionOutcome()
        let holds = try await self.store.retentionHolds()
        for partition in try await self.store.eventPartitions()
        where self.policy.expiresEverything(before: partition.range.upperBound, now: now)
            && !holds.contains(where: { $0.mayHold(occurredIn: partition.range) })
        {
            let contents = try await self.store.partitionContents(partition)
            guard contents.events > 0, !self.configuration.requireSealed || contents.leaves.count == contents.events else { continue }
            let record = RetentionRecord.event(
                deleted: contents.events,
                leaves: contents.leaves,
                scope: partition.name,
                policy: self.policy,
                now: now
            )
            if try await self.store.dropPartition(partition, expectedEvents: contents.events, record: record) {
                outcome.deleted += contents.events
                outcome.partitionsDropped.append(partition.name)
            }
        }
        for scan in self.policy.scans(now: now, pageSize: self.configuration.pageSize) {
            try await self.delete(scan, holds: holds, now: now, outcome: &outcome)
        }
        self.deletedCounter.increment(by: outcome.deleted)
        return outcome
    }

    /// Pages through `scan` oldest first, deleting each page's expired, unheld (sealed) events.
    private func delete(_ scan: EventQuery, holds: [RetentionHold], now: Timestamp, outcome: inout RetentionOutcome) async throws {
        var query = scan
        while true {
            try Task.checkCancellation()
            let page = try await self.store.events(matching: query)
            let expired = page.items.filter { self.policy.isExpired($0, now: now) }
            let unheld = expired.filter { event in !holds.contains { $0.holds(event) } }
            outcome.held += expired.count - unheld.count
            let leaves = try await self.store.ledgerLeafIndices(eventIDs: unheld.map(\.id))
            let doomed = self.configuration.requireSealed ? unheld.filter { leaves[$0.id] != nil } : unheld
            outcome.unsealed += unheld.count - doomed.count
            if !doomed.isEmpty {
                let indices = doomed.compactMap { leaves[$0.id] }.sorted()
                let record = RetentionRecord.event(deleted: doomed.count, leaves: indices, scope: "events", policy: self.policy, now: now)
                outcome.deleted += try await self.store.deleteEvents(doomed.map(\.id), record: record)
            }
            guard let next = page.nextCursor else { return }
            query.cursor = next
        }
    }
}
