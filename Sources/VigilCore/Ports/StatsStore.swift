/// Counting the log: rollups kept by following it, and statistics read from them.
public protocol StatsStore: Sendable {
    /// Adds up to `limit` committed events after the rollup checkpoint to the rollups and moves
    /// the checkpoint past them, in one transaction; returns how many events it added. Safe to
    /// call from several processes at once: each event is counted exactly once.
    func rollUp(limit: Int) async throws -> Int

    /// Exact counts for `query`, read in one snapshot: rollups up to their checkpoint plus the
    /// events committed after it, per `StatsPlan`.
    func eventStats(_ query: StatsQuery) async throws -> EventStats

    /// Alerts open now, and alerts created in `[from, to)` by status and severity.
    func alertStats(from: Timestamp, to: Timestamp) async throws -> AlertStats
}
