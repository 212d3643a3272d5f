import Foundation
import Logging
import PostgresNIO
import VigilCore

extension PostgresStore {
    /// Alert counts from `alert_counts` and the deltas not yet folded into it (migration 12),
    /// in one statement, hence one snapshot: whole days, hours and minutes of the window as
    /// `StatsPlan` splits it, the alerts themselves only in seconds at its edges (an index
    /// range of `alerts_created`; a window widened to whole buckets has none), and every open
    /// alert from the day counts. The cost follows the number of buckets, not of alerts:
    /// counting the current hour's alerts one by one made a per-minute request slower than
    /// before (all of a freshly loaded database's alerts were created within the hour).
    public func alertStats(from: Timestamp, to: Timestamp) async throws -> AlertStats {
        let plan = StatsPlan(from: from, to: to, minutes: true)
        var bind = BindList()
        let segments = plan.rollups.map { "(\(bind($0.level.rawValue))::text, \(bind($0.from))::timestamptz, \(bind($0.to))::timestamptz)" }
        let edges = plan.raw.map { "(created_at >= \(bind($0.from)) AND created_at < \(bind($0.to)))" }
        let sql = """
            WITH c AS (
                SELECT level, bucket, status, severity, n FROM alert_counts
                UNION ALL SELECT level, bucket, status, severity, n FROM alert_count_deltas
            ),
            segments(level, lo, hi) AS (\(segments.isEmpty ? "SELECT ''::text, now(), now() WHERE false" : "VALUES " + segments.joined(separator: ",")))
            SELECT true AS open, status, severity, sum(n)::bigint FROM c WHERE level = 'd' AND status = 'open' GROUP BY status, severity
            UNION ALL SELECT false, c.status, c.severity, sum(c.n)::bigint FROM c JOIN segments s
                ON c.level = s.level AND c.bucket >= s.lo AND c.bucket < s.hi GROUP BY c.status, c.severity
            UNION ALL SELECT false, status, severity, count(*) FROM alerts
                WHERE \(edges.isEmpty ? "false" : edges.joined(separator: " OR ")) GROUP BY status, severity
            """
        let binds = try bind.checked()
        return try await self.bounded {
            var stats = AlertStats()
            let rows = try await self.client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger)
            for try await (open, status, severity, count) in rows.decode((Bool, String, Int16, Int64).self) where count != 0 {
                if open {
                    stats.open += count
                    continue
                }
                if let status = AlertStatus(rawValue: status) { stats.byStatus[status, default: 0] += count }
                if let severity = Severity(rank: Int(severity)) { stats.bySeverity[severity, default: 0] += count }
            }
            // A status or severity whose changes cancel out in the window is not listed.
            stats.byStatus = stats.byStatus.filter { $0.value != 0 }
            stats.bySeverity = stats.bySeverity.filter { $0.value != 0 }
            return stats
        }
    }

    /// Moves every delta the triggers appended into `alert_counts`, on `connection` (inside the
    /// rollup step's transaction, which the `rollup_state` row lock serialises across nodes).
    /// A delta appended meanwhile stays for the next fold; one another fold took is not
    /// returned here, so nothing counts twice.
    static func foldAlertCounts(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            WITH moved AS (DELETE FROM alert_count_deltas RETURNING level, bucket, status, severity, n)
            INSERT INTO alert_counts (level, bucket, status, severity, n)
            SELECT level, bucket, status, severity, sum(n) FROM moved GROUP BY level, bucket, status, severity
            ORDER BY level, bucket, status, severity
            ON CONFLICT (level, bucket, status, severity) DO UPDATE SET n = alert_counts.n + excluded.n
            """,
            logger: logger
        )
    }
}
