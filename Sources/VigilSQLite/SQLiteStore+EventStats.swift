import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore {
    /// Counts a `StatsQuery` in one statement (one snapshot). Filtered queries are counted from
    /// their events (`filteredEventStats`); the rest as `StatsPlan` lays out: rollup rows for
    /// whole hours and days, events for the edges and for what the rollup checkpoint has not
    /// reached.
    ///
    /// Top lists (`ip`, `actor`, `failed_ip`) can have as many keys as events, so they are not
    /// summed in full unless they must be. The `candidateDepth` most frequent keys of every
    /// rolled bucket (read from `event_rollups_rank`) and of the events counted one by one (the
    /// raw edges and the rollups' lag, as one more bucket) are candidates, counted exactly. A
    /// key that is no candidate has at most the sum over those buckets of each one's
    /// `candidateDepth`-th count (`bounds`): if the `top`-th candidate exceeds it, the
    /// candidates' top list is the answer. Otherwise, for that kind only, every rollup row of
    /// the window is summed.
    public func eventStats(_ query: StatsQuery) async throws -> EventStats {
        if query.isFiltered { return try await self.filteredEventStats(query) }
        let plan = StatsPlan(query)
        var binds: [SQLiteData] = []
        func range(_ segment: StatsPlan.Segment) -> String {
            binds += [.integer(Int(segment.from.microseconds)), .integer(Int(segment.to.microseconds))]
            return "(occurred_at >= ? AND occurred_at < ?)"
        }
        // r: the events counted one by one: the raw edges, plus what the rollup checkpoint has
        // not reached in the rolled-up ranges.
        var rawParts: [String] = []
        if !plan.raw.isEmpty {
            rawParts.append("SELECT \(Self.statsColumns) FROM events WHERE " + plan.raw.map(range).joined(separator: " OR "))
        }
        if !plan.rollups.isEmpty {
            // `+occurred_at` keeps SQLite off the time index here: the rollups' lag is a
            // short run of rowids after the checkpoint, the time ranges may hold millions.
            rawParts.append(
                "SELECT \(Self.statsColumns) FROM events WHERE seq > (SELECT position FROM rollup_state WHERE name = 'events') AND ("
                    + plan.rollups.map(range).joined(separator: " OR ").replacingOccurrences(of: "occurred_at", with: "+occurred_at") + ")"
            )
        }
        var segments: [String] = []
        for segment in plan.rollups {
            segments.append("(?, ?, ?, ?)")
            binds += [
                .text(segment.level.rawValue), .integer(Int(segment.from.microseconds)), .integer(Int(segment.to.microseconds)),
                .integer(Int(segment.level.bucket.microseconds)),
            ]
        }
        binds += [
            .text(plan.timelineLevel.rawValue), .integer(query.candidateDepth - 1), .integer(query.candidateDepth - 1),
            .integer(query.top - 1), .integer(query.top),
        ]
        let sql = """
            WITH RECURSIVE ranked_kinds(kind) AS (VALUES \(Self.rankedKindValues)),
            r AS MATERIALIZED (\(rawParts.isEmpty ? "SELECT \(Self.statsColumns) FROM events WHERE 0" : rawParts.joined(separator: " UNION ALL "))),
            \(Self.countsByKind(named: "raw", over: "r", bucket: query.bucket)),
            segments(level, lo, hi, width) AS (\(segments.isEmpty ? "SELECT '', 0, 0, 1 WHERE 0" : "VALUES " + segments.joined(separator: ","))),
            buckets(level, bucket, hi, width) AS (
                SELECT level, lo, hi, width FROM segments
                UNION ALL SELECT level, bucket + width, hi, width FROM buckets WHERE bucket + width < hi
            ),
            timeline_level(level) AS (VALUES (?)),
            heads AS MATERIALIZED (
                SELECT b.level, b.bucket, k.kind, coalesce((
                    SELECT n FROM event_rollups WHERE level = b.level AND kind = k.kind AND bucket = b.bucket ORDER BY n DESC LIMIT 1 OFFSET ?
                ), 0) AS t
                FROM buckets b CROSS JOIN ranked_kinds k
            ),
            raw_counts AS MATERIALIZED (SELECT kind, key, n FROM raw WHERE kind IN (\(Self.rankedKindList))),
            raw_heads AS MATERIALIZED (
                SELECT k.kind, coalesce((SELECT n FROM raw_counts WHERE kind = k.kind ORDER BY n DESC LIMIT 1 OFFSET ?), 0) AS t
                FROM ranked_kinds k
            ),
            candidates AS MATERIALIZED (
                SELECT h.kind, e.key FROM heads h CROSS JOIN event_rollups e
                ON e.level = h.level AND e.kind = h.kind AND e.bucket = h.bucket AND e.n > h.t
                UNION SELECT c.kind, c.key FROM raw_counts c CROSS JOIN raw_heads h ON h.kind = c.kind WHERE c.n > h.t
            ),
            exact AS MATERIALIZED (
                SELECT kind, key, sum(n) AS n FROM (
                    SELECT c.kind, c.key, e.n FROM candidates c CROSS JOIN buckets b CROSS JOIN event_rollups e
                    ON e.level = b.level AND e.kind = c.kind AND e.bucket = b.bucket AND e.key = c.key
                    UNION ALL SELECT r.kind, r.key, r.n FROM raw_counts r CROSS JOIN candidates c ON c.kind = r.kind AND c.key = r.key
                ) GROUP BY kind, key
            ),
            bounds AS MATERIALIZED (
                SELECT k.kind, coalesce((SELECT sum(t) FROM heads WHERE kind = k.kind), 0)
                    + (SELECT t FROM raw_heads WHERE kind = k.kind) AS bound
                FROM ranked_kinds k
            ),
            decided AS MATERIALIZED (
                SELECT b.kind, b.bound = 0
                    OR coalesce((SELECT n FROM exact WHERE kind = b.kind ORDER BY n DESC LIMIT 1 OFFSET ?), 0) > b.bound AS pruned
                FROM bounds b
            ),
            tops(kind, key, n) AS (
                SELECT e.kind, e.key, e.n FROM decided d CROSS JOIN exact e ON e.kind = d.kind WHERE d.pruned
                UNION ALL SELECT kind, key, sum(n) FROM (
                    SELECT d.kind, e.key, e.n FROM decided d CROSS JOIN segments s CROSS JOIN event_rollups e
                    ON e.level = s.level AND e.kind = d.kind AND e.bucket >= s.lo AND e.bucket < s.hi WHERE NOT d.pruned
                    UNION ALL SELECT d.kind, r.key, r.n FROM decided d CROSS JOIN raw_counts r ON r.kind = d.kind WHERE NOT d.pruned
                ) GROUP BY kind, key
            ),
            parts(kind, key, n) AS (
                SELECT kind, key, n FROM raw WHERE kind NOT IN (\(Self.rankedKindList))
                UNION ALL SELECT e.kind, e.key, e.n FROM segments s CROSS JOIN event_rollups e
                ON e.level = s.level AND e.kind IN (\(Self.summedKindList)) AND e.bucket >= s.lo AND e.bucket < s.hi
                UNION ALL SELECT '@t', CAST(e.bucket AS TEXT), e.n FROM segments s CROSS JOIN timeline_level l CROSS JOIN event_rollups e
                ON e.level = l.level AND e.kind = 'total' AND e.bucket >= s.lo AND e.bucket < s.hi
            )
            SELECT kind, key, sum(n) AS n FROM parts GROUP BY kind, key
            UNION ALL SELECT kind, key, n FROM (
                SELECT kind, key, n, row_number() OVER (PARTITION BY kind ORDER BY n DESC, key) AS place FROM tops
            ) WHERE place <= ?
            """
        let finalBinds = binds
        let rows = try await self.pool.read(heavy: true) { try await $0.query(sql, finalBinds) }
        return Self.eventStats(from: rows, top: query.top)
    }

    static let rankedKindList = RollupKind.allCases.filter(\.isTopList).map { "'\($0.rawValue)'" }.joined(separator: ",")
    static let rankedKindValues = RollupKind.allCases.filter(\.isTopList).map { "('\($0.rawValue)')" }.joined(separator: ",")
    static let summedKindList = RollupKind.allCases.filter { !$0.isTopList }.map { "'\($0.rawValue)'" }.joined(separator: ",")
}
