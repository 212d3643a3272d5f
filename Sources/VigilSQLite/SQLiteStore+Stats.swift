import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: StatsStore {
    public func rollUp(limit: Int) async throws -> Int {
        try await self.pool.writeTransaction { connection in
            let state = try await connection.query("SELECT position FROM rollup_state WHERE name = 'events'")
            let after = state.first?.int64("position") ?? 0
            let range = try await connection.query(
                "SELECT max(seq) AS last, count(*) AS n FROM (SELECT seq FROM events WHERE seq > ? ORDER BY seq LIMIT ?)",
                [.integer(Int(after)), .integer(limit)]
            )
            let count = Int(range.first?.int64("n") ?? 0)
            guard count > 0, let last = range.first?.int64("last") else { return 0 }
            // Every (level, kind) pair of an event is one row of the cross join; minute
            // rollups keep only the total. One GROUP BY, one upsert per distinct row.
            let levels = RollupLevel.allCases.map { "('\($0.rawValue)', \($0.bucket.microseconds))" }.joined(separator: ",")
            _ = try await connection.query(
                """
                WITH levels(level, width) AS (VALUES \(levels)),
                kinds(kind) AS (VALUES \(Self.kindValues)),
                r AS (SELECT occurred_at, type, severity, outcome, source, ip, actor FROM events WHERE seq > ? AND seq <= ?)
                INSERT INTO event_rollups (level, kind, bucket, key, n)
                SELECT level, kind, bucket, key, count(*) FROM (
                    SELECT levels.level AS level, kinds.kind AS kind,
                        r.occurred_at - ((r.occurred_at % levels.width) + levels.width) % levels.width AS bucket,
                        \(Self.keyExpression) AS key
                    FROM r, levels, kinds
                    WHERE (levels.level <> 'm' OR kinds.kind = 'total') AND \(Self.failedCondition)
                ) WHERE key IS NOT NULL
                GROUP BY level, kind, bucket, key
                ON CONFLICT (level, kind, bucket, key) DO UPDATE SET n = n + excluded.n
                """,
                [.integer(Int(after)), .integer(Int(last))]
            )
            _ = try await connection.query("UPDATE rollup_state SET position = ? WHERE name = 'events'", [.integer(Int(last))])
            return count
        }
    }

    static let statsColumns = "occurred_at, type, severity, outcome, source, ip, actor"
    static let kindValues = RollupKind.allCases.map { "('\($0.rawValue)')" }.joined(separator: ",")
    /// The key an event has under `kinds.kind` (NULL: not counted under it).
    static let keyExpression = """
        CASE kinds.kind WHEN 'total' THEN '' WHEN 'failed' THEN '' WHEN 'type' THEN r.type
        WHEN 'severity' THEN CAST(r.severity AS TEXT) WHEN 'outcome' THEN r.outcome WHEN 'source' THEN r.source
        WHEN 'ip' THEN r.ip WHEN 'failed_ip' THEN r.ip WHEN 'actor' THEN r.actor END
        """
    /// Failed-login kinds count only failed logins.
    static let failedCondition = "(kinds.kind NOT IN ('failed', 'failed_ip') OR r.type = '\(RollupKind.failedLoginType)')"
}
