import Foundation

/// A stored unit of events that can be dropped whole (a PostgreSQL monthly partition) and the
/// `occurred_at` range it holds.
public struct EventPartition: Sendable, Equatable {
    public var name: String
    public var range: Range<Timestamp>

    public init(name: String, range: Range<Timestamp>) {
        self.name = name
        self.range = range
    }
}

/// Deleting events for retention without breaking the ledger: every deletion keeps the
/// events' leaf hashes (marked with the id of the deletion's record) and writes that record,
/// a `retention.deleted` event, in the same transaction.
public protocol RetentionStore: Sendable {
    func retentionHolds() async throws -> [RetentionHold]
    func insertRetentionHold(_ hold: RetentionHold) async throws
    /// Removes the hold; returns it, or nil when there was none.
    func deleteRetentionHold(id: UUID) async throws -> RetentionHold?

    /// Deletes the events `ids`, marks their leaves pruned by `record`, and writes `record`, in
    /// one transaction; returns how many events were deleted.
    func deleteEvents(_ ids: [UUID], record: PreparedEvent) async throws -> Int

    /// Units that can be dropped whole, oldest first (none on SQLite).
    func eventPartitions() async throws -> [EventPartition]
    /// How many events `partition` holds, and the sorted leaf indices of its sealed ones.
    func partitionContents(_ partition: EventPartition) async throws -> (events: Int, leaves: [Int])
    /// Drops `partition` if it still holds `expectedEvents` events, marking their leaves pruned
    /// by `record` and writing `record`, in one transaction; false (nothing done) otherwise.
    func dropPartition(_ partition: EventPartition, expectedEvents: Int, record: PreparedEvent) async throws -> Bool
}
