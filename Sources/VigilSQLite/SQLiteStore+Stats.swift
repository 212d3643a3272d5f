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

    public func alertStats(from: Timestamp, to: Timestamp) async throws -> AlertStats {
        // One index range count per status and per severity (alerts_status_created,
        // alerts_severity_created): no table row is read, however many alerts the window holds.
        let statuses = AlertStatus.allCases.map { "('\($0.rawValue)')" }.joined(separator: ",")
        let severities = Severity.allCases.map { "(\($0.rank))" }.joined(separator: ",")
        let rows = try await self.pool.read(heavy: true) { connection in
            try await connection.query(
                """
                SELECT 'open' AS kind, '' AS key, count(*) AS n FROM alerts WHERE status = 'open'
                UNION ALL SELECT 'status', s.column1, (SELECT count(*) FROM alerts WHERE status = s.column1 AND created_at >= ?1 AND created_at < ?2)
                FROM (VALUES \(statuses)) s
                UNION ALL SELECT 'severity', CAST(v.column1 AS TEXT), (SELECT count(*) FROM alerts WHERE severity = v.column1 AND created_at >= ?1 AND created_at < ?2)
                FROM (VALUES \(severities)) v
                """,
                [.integer(Int(from.microseconds)), .integer(Int(to.microseconds))]
            )
        }
        var stats = AlertStats()
        for row in rows {
            let key = row.string("key") ?? ""
            let count = row.int64("n")
            switch row.string("kind") {
            case "open": stats.open = count
            case "status": if let status = AlertStatus(rawValue: key) { stats.byStatus[status] = count }
            case "severity": if let severity = Int(key).flatMap(Severity.init(rank:)) { stats.bySeverity[severity] = count }
            default: break
            }
        }
        return stats
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
