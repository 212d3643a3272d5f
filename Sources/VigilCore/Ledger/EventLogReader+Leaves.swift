extension EventLogReader {
    /// `LedgerStore.committedLeaves` by reading the events and hashing their JSON (one buffer
    /// reused for every event).
    public func leavesByHashing(after position: LogPosition?, limit: Int) async throws -> LeafBatch {
        let batch = try await self.committedEvents(after: position, limit: limit)
        return LeafBatch(leaves: Self.leaves(of: batch.events), position: batch.position)
    }

    static func leaves(of events: [Event]) -> [PendingLeaf] {
        var writer = JSONWriter(capacity: 4096)
        return events.map { event in
            writer.reset()
            event.writeJSON(into: &writer)
            return PendingLeaf(eventID: event.id, hash: Merkle.leafHash(writer.bytes), receivedAt: event.receivedAt)
        }
    }
}

extension LedgerStore where Self: EventLogReader {
    /// Both engines hash the events as they read them. (Keeping each hash from ingest, so the
    /// sealer reads 32 bytes per event, was measured on PostgreSQL and did no better: the
    /// hashing moves into the ingest path and the row is still fetched; docs/benchmarks.md.)
    public func committedLeaves(after position: LogPosition?, limit: Int) async throws -> LeafBatch {
        try await self.leavesByHashing(after: position, limit: limit)
    }
}
