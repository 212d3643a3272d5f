import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: StatsStore {
    public func rollUp(limit: Int) async throws -> Int {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                // The row lock serializes concurrent steps (another node's, a deposed leader's):
                // the second reads the position the first committed, so no event counts twice.
                var after: (tx: String, id: UUID)?
                for try await row in try await connection.query(
                    "SELECT tx::text, id FROM rollup_state WHERE name = 'events' FOR UPDATE",
                    logger: self.logger
                ).decode((String, UUID).self) {
                    after = (row.0, row.1)
                }
                // Alert counts ride on the same step and lock (see foldAlertCounts).
                try await Self.foldAlertCounts(on: connection, logger: self.logger)
                guard let after else { return 0 }
                // Only transactions older than every one running in this database, as for
                // EventLogReader: a late committer is read by a later step, never skipped. The
                // horizon is its own statement (see PostgresLogHorizon). The text id is
                // aliased so that ORDER BY sorts by the xid8 itself (see EventLogReader).
                let horizon = try await PostgresLogHorizon.read(on: connection, logger: self.logger)
                var last: (tx: String, id: UUID, count: Int64)?
                for try await row in try await connection.query(
                    """
                    SELECT tx::text AS last_tx, id, count FROM (
                        SELECT tx, id, count(*) OVER () AS count FROM (
                            SELECT tx, id FROM events WHERE tx < \(horizon)::text::xid8
                            AND (tx, id) > (\(after.tx)::text::xid8, \(after.id)) ORDER BY tx, id LIMIT \(limit)
                        ) s
                    ) c ORDER BY c.tx DESC, c.id DESC LIMIT 1
                    """,
                    logger: self.logger
                ).decode((String, UUID, Int64).self) {
                    last = (row.0, row.1, row.2)
                }
                guard let last else { return 0 }
                // The plain bounds on tx repeat what the row comparisons imply: PostgreSQL cannot
                // estimate a range of row comparisons and took 1.3 M of a partition's 7.9 M rows
                // for this step's 5,000, so at 10 M events every step scanned the partition and
                // JIT-compiled the plan (1.37 s; with the bounds, an index scan of 3.9 ms).
                let levels = RollupLevel.allCases.map { "('\($0.rawValue)', '\($0.bucket.rawValue)')" }.joined(separator: ",")
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            WITH levels(level, unit) AS (VALUES \(levels)),
                            kinds(kind) AS (VALUES \(Self.kindValues)),
                            r AS (
                                SELECT \(Self.statsColumns) FROM events
                                WHERE (tx, id) > ($1::text::xid8, $2) AND (tx, id) <= ($3::text::xid8, $4)
                                AND tx >= $1::text::xid8 AND tx <= $3::text::xid8
                            )
                            INSERT INTO event_rollups (level, kind, bucket, key, n)
                            SELECT level, kind, bucket, key, count(*) FROM (
                                SELECT levels.level, kinds.kind, date_trunc(levels.unit, r.occurred_at, 'UTC') AS bucket,
                                    \(Self.keyExpression) AS key
                                FROM r, levels, kinds
                                WHERE (levels.level <> 'm' OR kinds.kind = 'total') AND \(Self.failedCondition)
                            ) x WHERE key IS NOT NULL
                            GROUP BY level, kind, bucket, key
                            ON CONFLICT (level, kind, bucket, key) DO UPDATE SET n = event_rollups.n + excluded.n
                            """,
                        binds: try Self.bindings(after.tx, after.id, last.tx, last.id)
                    ),
                    logger: self.logger
                )
                try await connection.query(
                    "UPDATE rollup_state SET tx = \(last.tx)::text::xid8, id = \(last.id) WHERE name = 'events'",
                    logger: self.logger
                )
                return Int(last.count)
            }
        }
    }

    static let statsColumns = "occurred_at, type, severity, outcome, source, host(ip) AS ip, actor"
    static let kindValues = RollupKind.allCases.map { "('\($0.rawValue)')" }.joined(separator: ",")
    /// The key an event has under `kinds.kind` (NULL: not counted under it).
    static let keyExpression = """
        CASE kinds.kind WHEN 'total' THEN '' WHEN 'failed' THEN '' WHEN 'type' THEN r.type
        WHEN 'severity' THEN r.severity::text WHEN 'outcome' THEN r.outcome WHEN 'source' THEN r.source
        WHEN 'ip' THEN r.ip WHEN 'failed_ip' THEN r.ip WHEN 'actor' THEN r.actor END
        """
    /// Failed-login kinds count only failed logins.
    static let failedCondition = "(kinds.kind NOT IN ('failed', 'failed_ip') OR r.type = '\(RollupKind.failedLoginType)')"

    /// A timestamptz expression as text: microseconds since the epoch.
    static func microsecondsText(_ expression: String) -> String {
        "((extract(epoch FROM \(expression)) * 1000000)::bigint)::text"
    }
}
