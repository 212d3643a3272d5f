import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore {
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
    /// `candidateDepth`-th count: if the `top`-th candidate exceeds it, the candidates' top
    /// list is the answer. Otherwise, for that kind only, every rollup row of the window is
    /// summed. `LATERAL … LIMIT` keeps each rollup read an index probe.
    public func eventStats(_ query: StatsQuery) async throws -> EventStats {
        if query.isFiltered { return try await self.filteredEventStats(query) }
        let plan = StatsPlan(query)
        var rawParts: [String] = []
        var bind = BindList()
        func range(_ segment: StatsPlan.Segment) -> String {
            "(occurred_at >= \(bind(segment.from)) AND occurred_at < \(bind(segment.to)))"
        }
        if !plan.raw.isEmpty {
            rawParts.append("SELECT \(Self.statsColumns) FROM events WHERE " + plan.raw.map(range).joined(separator: " OR "))
        }
        if !plan.rollups.isEmpty {
            // Everything the checkpoint has not reached: in the same statement, hence the
            // same snapshot as the rollups read below. The checkpoint only moves forward, so
            // `tx >= hint` (read just before) changes nothing but tells the planner that few
            // rows follow it: without it, it scanned the window's time range (1 M rows).
            let hint = try await self.rollupCheckpointHint()
            rawParts.append(
                """
                SELECT \(Self.statsColumns) FROM events, rollup_state s WHERE s.name = 'events' AND (events.tx, events.id) > (s.tx, s.id)
                AND events.tx >= \(bind(hint))::text::xid8 AND (\(plan.rollups.map(range).joined(separator: " OR ")))
                """
            )
        }
        let segments = plan.rollups.map { segment in
            "(\(bind(segment.level.rawValue))::text, \(bind(segment.from))::timestamptz, \(bind(segment.to))::timestamptz, \(bind(segment.level.bucket.seconds))::bigint * interval '1 second')"
        }
        let (depth, top) = (bind(Int64(query.candidateDepth)), bind(Int64(query.top)))
        let sql = """
            WITH ranked_kinds(kind) AS (VALUES \(Self.rankedKindValues)),
            r AS (\(rawParts.isEmpty ? "SELECT \(Self.statsColumns) FROM events WHERE false" : rawParts.joined(separator: " UNION ALL "))),
            \(Self.countsByKind(named: "raw", over: "r", bucket: query.bucket)),
            segments(level, lo, hi, width) AS (\(segments.isEmpty ? "SELECT ''::text, now(), now(), interval '1 hour' WHERE false" : "VALUES " + segments.joined(separator: ","))),
            buckets AS MATERIALIZED (SELECT s.level, g AS bucket FROM segments s, generate_series(s.lo, s.hi - s.width, s.width) g),
            heads AS MATERIALIZED (
                SELECT b.level, b.bucket, k.kind, coalesce((
                    SELECT n FROM event_rollups e WHERE e.level = b.level AND e.kind = k.kind AND e.bucket = b.bucket
                    ORDER BY n DESC OFFSET \(depth) - 1 LIMIT 1
                ), 0) AS t
                FROM buckets b CROSS JOIN ranked_kinds k
            ),
            raw_counts AS MATERIALIZED (SELECT kind, key, n FROM raw WHERE kind IN (\(Self.rankedKindList))),
            raw_heads AS MATERIALIZED (
                SELECT k.kind, coalesce((
                    SELECT n FROM raw_counts c WHERE c.kind = k.kind ORDER BY n DESC OFFSET \(depth) - 1 LIMIT 1
                ), 0) AS t
                FROM ranked_kinds k
            ),
            candidates AS MATERIALIZED (
                SELECT h.kind, x.key FROM heads h CROSS JOIN LATERAL (
                    SELECT key FROM event_rollups e WHERE e.level = h.level AND e.kind = h.kind AND e.bucket = h.bucket AND e.n > h.t
                    ORDER BY n DESC LIMIT \(depth)
                ) x
                UNION SELECT c.kind, c.key FROM raw_counts c JOIN raw_heads h ON h.kind = c.kind WHERE c.n > h.t
            ),
            exact AS MATERIALIZED (
                SELECT kind, key, sum(n)::bigint AS n FROM (
                    SELECT c.kind, c.key, x.n FROM candidates c CROSS JOIN buckets b CROSS JOIN LATERAL (
                        SELECT n FROM event_rollups e WHERE e.level = b.level AND e.kind = c.kind AND e.bucket = b.bucket AND e.key = c.key LIMIT 1
                    ) x
                    UNION ALL SELECT r.kind, r.key, r.n FROM raw_counts r JOIN candidates c ON c.kind = r.kind AND c.key = r.key
                ) y GROUP BY kind, key
            ),
            bounds AS MATERIALIZED (
                SELECT k.kind, coalesce((SELECT sum(t) FROM heads h WHERE h.kind = k.kind), 0)
                    + (SELECT t FROM raw_heads h WHERE h.kind = k.kind) AS bound
                FROM ranked_kinds k
            ),
            decided AS MATERIALIZED (
                SELECT b.kind, b.bound = 0
                    OR coalesce((SELECT n FROM exact e WHERE e.kind = b.kind ORDER BY n DESC OFFSET \(top) - 1 LIMIT 1), 0) > b.bound AS pruned
                FROM bounds b
            ),
            tops(kind, key, n) AS (
                SELECT e.kind, e.key, e.n FROM decided d JOIN exact e ON e.kind = d.kind WHERE d.pruned
                UNION ALL SELECT kind, key, sum(n)::bigint FROM (
                    SELECT d.kind, x.key, x.n FROM decided d CROSS JOIN segments s CROSS JOIN LATERAL (
                        SELECT key, n FROM event_rollups e WHERE e.level = s.level AND e.kind = d.kind AND e.bucket >= s.lo AND e.bucket < s.hi OFFSET 0
                    ) x WHERE NOT d.pruned
                    UNION ALL SELECT d.kind, r.key, r.n FROM decided d JOIN raw_counts r ON r.kind = d.kind WHERE NOT d.pruned
                ) y GROUP BY kind, key
            ),
            parts(kind, key, n) AS (
                SELECT kind, key, n FROM raw WHERE kind NOT IN (\(Self.rankedKindList))
                UNION ALL SELECT e.kind, e.key, e.n FROM segments s JOIN event_rollups e
                ON e.level = s.level AND e.kind IN (\(Self.summedKindList)) AND e.bucket >= s.lo AND e.bucket < s.hi
                UNION ALL SELECT '@t', \(Self.microsecondsText("e.bucket")), e.n FROM segments s JOIN event_rollups e
                ON e.level = \(bind(plan.timelineLevel.rawValue)) AND e.kind = 'total' AND e.bucket >= s.lo AND e.bucket < s.hi
            )
            SELECT kind, key, sum(n)::bigint FROM parts GROUP BY kind, key
            UNION ALL SELECT kind, key, n FROM (
                SELECT kind, key, n, row_number() OVER (PARTITION BY kind ORDER BY n DESC, key COLLATE "C") AS place FROM tops
            ) ranked WHERE place <= \(top)
            """
        let finalBinds = try bind.checked()
        return try await self.bounded {
            try await Self.eventStats(from: self.client.query(PostgresQuery(unsafeSQL: sql, binds: finalBinds), logger: self.logger), top: query.top)
        }
    }

    /// The rollup checkpoint's transaction id as text (`"0"` before the first step).
    func rollupCheckpointHint() async throws -> String {
        try await self.bounded {
            var hint = "0"
            let rows = try await self.client.query("SELECT tx::text FROM rollup_state WHERE name = 'events'", logger: self.logger)
            for try await tx in rows.decode(String.self) { hint = tx }
            return hint
        }
    }

    static let rankedKindList = RollupKind.allCases.filter(\.isTopList).map { "'\($0.rawValue)'" }.joined(separator: ",")
    static let rankedKindValues = RollupKind.allCases.filter(\.isTopList).map { "('\($0.rawValue)')" }.joined(separator: ",")
    static let summedKindList = RollupKind.allCases.filter { !$0.isTopList }.map { "'\($0.rawValue)'" }.joined(separator: ",")
}
