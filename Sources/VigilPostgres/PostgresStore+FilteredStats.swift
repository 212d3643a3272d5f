import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore {
    /// Counts a filtered `StatsQuery` (filters or a user's scope: no rollups apply) from its
    /// matching events with `countsByKind`; only the `top` keys of each top list leave the
    /// server.
    ///
    /// Crossing each event with every kind and grouping the result (the rollup step's shape)
    /// made nine rows per event and hit the 5 s statement timeout at 250,000 matches; one pass
    /// takes 0.8–1 s.
    func filteredEventStats(_ query: StatsQuery) async throws -> EventStats {
        let (whereClause, filterBinds) = Self.whereClause(for: query.events)
        var bind = filterBinds
        let top = bind(Int64(query.top))
        let sql = """
            WITH r AS (SELECT \(Self.statsColumns) FROM events \(whereClause)),
            \(Self.countsByKind(named: "counted", over: "r", bucket: query.bucket))
            SELECT kind, key, n FROM counted WHERE kind NOT IN (\(Self.rankedKindList))
            UNION ALL SELECT kind, key, n FROM (
                SELECT kind, key, n, row_number() OVER (PARTITION BY kind ORDER BY n DESC, key COLLATE "C") AS place
                FROM counted WHERE kind IN (\(Self.rankedKindList))
            ) ranked WHERE place <= \(top)
            """
        let finalBinds = try bind.checked()
        return try await self.bounded {
            try await Self.eventStats(from: self.client.query(PostgresQuery(unsafeSQL: sql, binds: finalBinds), logger: self.logger), top: query.top)
        }
    }

    /// A common table expression (to follow `WITH` or a comma), `name(kind, key, n)`: the
    /// events of `relation` (columns of `statsColumns`) counted under every `RollupKind` with
    /// their full key lists, and under `@t` per timeline `bucket` (key: its start in
    /// microseconds, as text). NULL keys are not counted, as in the rollups.
    ///
    /// One hashed `GROUPING SETS` aggregate reads each event once. `GROUPING(x)` is 0 when x
    /// is a column of the row's grouping set; `failed_ip` is the set (failed, ip), so it is
    /// told apart from `ip` and `failed` before either.
    static func countsByKind(named name: String, over relation: String, bucket: StatsBucket) -> String {
        """
        \(name)(kind, key, n) AS MATERIALIZED (
            SELECT kind, key, n FROM (
                SELECT CASE
                        WHEN GROUPING(failed) = 0 AND GROUPING(ip) = 0 THEN CASE WHEN failed THEN 'failed_ip' END
                        WHEN GROUPING(failed) = 0 THEN CASE WHEN failed THEN 'failed' END
                        WHEN GROUPING(type) = 0 THEN 'type' WHEN GROUPING(severity) = 0 THEN 'severity'
                        WHEN GROUPING(outcome) = 0 THEN 'outcome' WHEN GROUPING(source) = 0 THEN 'source'
                        WHEN GROUPING(ip) = 0 THEN 'ip' WHEN GROUPING(actor) = 0 THEN 'actor'
                        WHEN GROUPING(b) = 0 THEN '@t' ELSE 'total' END AS kind,
                    CASE
                        WHEN GROUPING(ip) = 0 THEN ip WHEN GROUPING(failed) = 0 THEN ''
                        WHEN GROUPING(type) = 0 THEN type WHEN GROUPING(severity) = 0 THEN severity::text
                        WHEN GROUPING(outcome) = 0 THEN outcome WHEN GROUPING(source) = 0 THEN source
                        WHEN GROUPING(actor) = 0 THEN actor
                        WHEN GROUPING(b) = 0 THEN \(Self.microsecondsText("b")) ELSE '' END AS key,
                    count(*)::bigint AS n
                FROM (
                    SELECT type, severity, outcome, source, ip, actor, type = '\(RollupKind.failedLoginType)' AS failed,
                        date_trunc('\(bucket.rawValue)', occurred_at, 'UTC') AS b
                    FROM \(relation)
                ) x
                GROUP BY GROUPING SETS ((), (type), (severity), (outcome), (source), (ip), (actor), (failed), (failed, ip), (b))
            ) g WHERE kind IS NOT NULL AND key IS NOT NULL
        )
        """
    }

    /// Statistics from `(kind, key, n)` rows, `@t` rows being the timeline.
    static func eventStats(from rows: PostgresRowSequence, top: Int) async throws -> EventStats {
        var counts: [(kind: String, key: String, count: Int64)] = []
        var timeline: [(start: Timestamp, count: Int64)] = []
        for try await (kind, key, count) in rows.decode((String, String, Int64).self) {
            if kind == "@t" {
                if let start = Int64(key) { timeline.append((Timestamp(microseconds: start), count)) }
            } else {
                counts.append((kind, key, count))
            }
        }
        return EventStats(counts: counts, timeline: timeline, top: top)
    }
}
