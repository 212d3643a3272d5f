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
    /// rolled bucket (read from `event_rollups_rank`) and every key of the counted events are
    /// candidates, counted exactly. A key that is no candidate has at most the sum over buckets
    /// of each bucket's `candidateDepth`-th count: if the `top`-th candidate exceeds it, the
    /// candidates' top list is the answer. Otherwise, for that kind only, every rollup row of
    /// the window is summed. (PostgreSQL also caps the raw keys at `candidateDepth`; here the
    /// extra expressions cost 3 ms of compilation on every request, more than they save.)
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
            .text(plan.timelineLevel.rawValue), .integer(query.candidateDepth - 1), .integer(query.top - 1), .integer(query.top),
        ]
        let sql = """
            WITH RECURSIVE ranked_kinds(kind) AS (VALUES \(Self.rankedKindValues)),
            r AS MATERIALIZED (\(rawParts.isEmpty ? "SELECT \(Self.statsColumns) FROM events WHERE 0" : rawParts.joined(separator: " UNION ALL "))),
            \(plan.raw.isEmpty ? Self.crossedCounts(named: "raw", over: "r", bucket: query.bucket) : Self.countsByKind(named: "raw", over: "r", bucket: query.bucket)),
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
            candidates AS MATERIALIZED (
                SELECT h.kind, e.key FROM heads h CROSS JOIN event_rollups e
                ON e.level = h.level AND e.kind = h.kind AND e.bucket = h.bucket AND e.n > h.t
                UNION SELECT kind, key FROM raw WHERE kind IN (\(Self.rankedKindList))
            ),
            exact AS MATERIALIZED (
                SELECT kind, key, sum(n) AS n FROM (
                    SELECT c.kind, c.key, e.n FROM candidates c CROSS JOIN buckets b CROSS JOIN event_rollups e
                    ON e.level = b.level AND e.kind = c.kind AND e.bucket = b.bucket AND e.key = c.key
                    UNION ALL SELECT kind, key, n FROM raw WHERE kind IN (\(Self.rankedKindList))
                ) GROUP BY kind, key
            ),
            decided AS MATERIALIZED (
                SELECT k.kind, coalesce((SELECT sum(t) FROM heads WHERE kind = k.kind), 0) = 0
                    OR coalesce((SELECT n FROM exact WHERE kind = k.kind ORDER BY n DESC LIMIT 1 OFFSET ?), 0)
                        > (SELECT sum(t) FROM heads WHERE kind = k.kind) AS pruned
                FROM ranked_kinds k
            ),
            tops(kind, key, n) AS (
                SELECT e.kind, e.key, e.n FROM decided d CROSS JOIN exact e ON e.kind = d.kind WHERE d.pruned
                UNION ALL SELECT kind, key, sum(n) FROM (
                    SELECT d.kind, e.key, e.n FROM decided d CROSS JOIN segments s CROSS JOIN event_rollups e
                    ON e.level = s.level AND e.kind = d.kind AND e.bucket >= s.lo AND e.bucket < s.hi WHERE NOT d.pruned
                    UNION ALL SELECT d.kind, r.key, r.n FROM decided d CROSS JOIN raw r ON r.kind = d.kind WHERE NOT d.pruned
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

    /// `countsByKind`'s result from one event per kind and row: cheap to compile, costly per
    /// event. `countsByKind` compiles into many more cursors (SQLite expands a CTE per
    /// reference): measured with `wrk` on a nearly empty database, it added 2–3 ms to the
    /// median of an hourly 24-hour request, whose whole cost is about 6 ms. Only windows with
    /// raw edges (minute buckets) count enough events one by one to earn that; elsewhere only
    /// the rollups' short lag is counted here.
    static func crossedCounts(named name: String, over relation: String, bucket: StatsBucket) -> String {
        let width = bucket.microseconds
        return """
            \(name)_kinds(kind) AS (VALUES \(Self.kindValues)),
            \(name)(kind, key, n) AS MATERIALIZED (
                SELECT kind, key, count(*) FROM (
                    SELECT kinds.kind AS kind, \(Self.keyExpression) AS key
                    FROM \(relation) AS r, \(name)_kinds AS kinds WHERE \(Self.failedCondition)
                ) WHERE key IS NOT NULL GROUP BY kind, key
                UNION ALL SELECT '@t', CAST(occurred_at - ((occurred_at % \(width)) + \(width)) % \(width) AS TEXT), count(*)
                FROM \(relation) GROUP BY 2
            )
            """
    }

    static let rankedKindList = RollupKind.allCases.filter(\.isTopList).map { "'\($0.rawValue)'" }.joined(separator: ",")
    static let rankedKindValues = RollupKind.allCases.filter(\.isTopList).map { "('\($0.rawValue)')" }.joined(separator: ",")
    static let summedKindList = RollupKind.allCases.filter { !$0.isTopList }.map { "'\($0.rawValue)'" }.joined(separator: ",")
}
