import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: StatsStore {
    public func rollUp(limit: Int) async throws -> Int {
        try await self.pool.write { connection in
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

    public func eventStats(_ query: StatsQuery) async throws -> EventStats {
        let plan = StatsPlan(query)
        var binds: [SQLiteData] = []
        func range(_ segment: StatsPlan.Segment) -> String {
            binds += [.integer(Int(segment.from.microseconds)), .integer(Int(segment.to.microseconds))]
            return "(occurred_at >= ? AND occurred_at < ?)"
        }
        // r: the events counted one by one. Filtered: every matching event. Otherwise the raw
        // edges, plus what the rollup checkpoint has not reached in the rolled-up ranges.
        var rawParts: [String] = []
        if query.isFiltered {
            let (whereClause, filterBinds) = Self.whereClause(for: query.events)
            rawParts.append("SELECT \(Self.statsColumns) FROM events \(whereClause)")
            binds += filterBinds
        } else {
            if !plan.raw.isEmpty {
                rawParts.append("SELECT \(Self.statsColumns) FROM events WHERE " + plan.raw.map(range).joined(separator: " OR "))
            }
            if !plan.rollups.isEmpty {
                rawParts.append(
                    "SELECT \(Self.statsColumns) FROM events WHERE seq > (SELECT position FROM rollup_state WHERE name = 'events') AND ("
                        + plan.rollups.map(range).joined(separator: " OR ") + ")"
                )
            }
        }
        let timelineWidth = query.bucket.microseconds
        var parts = [
            """
            SELECT kinds.kind AS kind, \(Self.keyExpression) AS key, 1 AS n FROM r, kinds WHERE \(Self.failedCondition)
            """,
            "SELECT '@t', CAST(occurred_at - ((occurred_at % \(timelineWidth)) + \(timelineWidth)) % \(timelineWidth) AS TEXT), 1 FROM r",
        ]
        for segment in plan.rollups {
            // Naming every kind lets the primary key (level, kind, bucket, key) seek each range.
            parts.append("SELECT kind, key, n FROM event_rollups WHERE level = ? AND kind IN (\(Self.kindList)) AND bucket >= ? AND bucket < ?")
            binds += [.text(segment.level.rawValue), .integer(Int(segment.from.microseconds)), .integer(Int(segment.to.microseconds))]
            parts.append("SELECT '@t', CAST(bucket AS TEXT), n FROM event_rollups WHERE level = ? AND kind = 'total' AND bucket >= ? AND bucket < ?")
            binds += [.text(plan.timelineLevel.rawValue), .integer(Int(segment.from.microseconds)), .integer(Int(segment.to.microseconds))]
        }
        binds.append(.integer(query.top))
        let sql = """
            WITH kinds(kind) AS (VALUES \(Self.kindValues)),
            r AS (\(rawParts.isEmpty ? "SELECT \(Self.statsColumns) FROM events WHERE 0" : rawParts.joined(separator: " UNION ALL "))),
            parts(kind, key, n) AS (\(parts.joined(separator: " UNION ALL "))),
            sums AS (SELECT kind, key, sum(n) AS n FROM parts WHERE key IS NOT NULL GROUP BY kind, key)
            SELECT kind, key, n FROM (
                SELECT kind, key, n, row_number() OVER (PARTITION BY kind ORDER BY n DESC, key) AS place FROM sums
            ) WHERE kind NOT IN ('ip', 'actor', 'failed_ip') OR place <= ?
            """
        let finalBinds = binds
        let rows = try await self.pool.read { try await $0.query(sql, finalBinds) }
        var counts: [(kind: String, key: String, count: Int64)] = []
        var timeline: [(start: Timestamp, count: Int64)] = []
        for row in rows {
            guard let kind = row.string("kind"), let key = row.string("key") else { continue }
            let count = row.int64("n")
            if kind == "@t" {
                if let start = Int64(key) { timeline.append((Timestamp(microseconds: start), count)) }
            } else {
                counts.append((kind, key, count))
            }
        }
        return EventStats(counts: counts, timeline: timeline, top: query.top)
    }

    public func alertStats(from: Timestamp, to: Timestamp) async throws -> AlertStats {
        let rows = try await self.pool.read { connection in
            try await connection.query(
                """
                SELECT 'open' AS kind, '' AS key, count(*) AS n FROM alerts WHERE status = 'open'
                UNION ALL SELECT 'status', status, count(*) FROM alerts WHERE created_at >= ? AND created_at < ? GROUP BY status
                UNION ALL SELECT 'severity', CAST(severity AS TEXT), count(*) FROM alerts WHERE created_at >= ? AND created_at < ? GROUP BY severity
                """,
                [.integer(Int(from.microseconds)), .integer(Int(to.microseconds)), .integer(Int(from.microseconds)), .integer(Int(to.microseconds))]
            )
        }
        var stats = AlertStats()
        for row in rows {
            let key = row.string("key") ?? ""
            let count = row.int64("n")
            switch row.string("kind") {
            case "open": stats.open = count
            case "status": if let status = AlertStatus(rawValue: key) { stats.byStatus[status] = count }
            case "severity": if let severity = Severity(parsing: key) ?? Int(key).flatMap(Severity.init(rank:)) { stats.bySeverity[severity] = count }
            default: break
            }
        }
        return stats
    }

    static let statsColumns = "occurred_at, type, severity, outcome, source, ip, actor"
    static let kindList = RollupKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
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
