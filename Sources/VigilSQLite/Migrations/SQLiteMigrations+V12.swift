extension SQLiteMigrations {
    /// Alert counts per minute, hour and day. Released: never edit, append.
    static let v12: [Migration] = [
        Migration(
            version: 12,
            name: "alert counts per minute, hour and day",
            statements: [
                // Statistics counted alerts one index entry at a time (every open alert, and
                // each status and severity in the window): a request took 0.41 s with the
                // 800,000 open alerts of the 10 M-event benchmark. Counts per bucket keep that
                // to a few hundred rows. SQLite has one writer, so the triggers keep them exact
                // in the alert's own transaction (PostgreSQL appends deltas and folds them).
                """
                CREATE TABLE alert_counts (
                    level TEXT NOT NULL,
                    bucket INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    severity INTEGER NOT NULL,
                    n INTEGER NOT NULL,
                    PRIMARY KEY (level, bucket, status, severity)
                ) WITHOUT ROWID
                """,
                """
                INSERT INTO alert_counts (level, bucket, status, severity, n)
                SELECT l.level, \(bucket("a.created_at")), a.status, a.severity, count(*)
                FROM alerts a CROSS JOIN (\(levels)) l
                GROUP BY 1, 2, 3, 4
                """,
                countTrigger("alert_counts_insert", on: "INSERT", changes: [("NEW", 1)]),
                countTrigger(
                    "alert_counts_update",
                    on: "UPDATE OF status, severity, created_at",
                    when: "OLD.status IS NOT NEW.status OR OLD.severity IS NOT NEW.severity OR OLD.created_at IS NOT NEW.created_at",
                    changes: [("OLD", -1), ("NEW", 1)]
                ),
                countTrigger("alert_counts_delete", on: "DELETE", changes: [("OLD", -1)]),
            ]
        )
    ]

    /// The three levels and their widths in microseconds (`RollupLevel`'s raw values).
    private static let levels = """
        SELECT 'm' AS level, 60000000 AS width UNION ALL SELECT 'h', 3600000000 UNION ALL SELECT 'd', 86400000000
        """

    /// The start of the UTC bucket of width `l.width` holding `time` (floored, before 1970 too).
    private static func bucket(_ time: String) -> String {
        "\(time) - ((\(time) % l.width) + l.width) % l.width"
    }

    /// A trigger adding `n` to the counts of `row`'s buckets for each (row, n) in `changes`.
    private static func countTrigger(_ name: String, on event: String, when: String? = nil, changes: [(String, Int)]) -> String {
        let statements = changes.map { row, n in
            // "WHERE true": an upsert after a SELECT needs it for SQLite's parser.
            """
            INSERT INTO alert_counts (level, bucket, status, severity, n)
            SELECT l.level, \(bucket("\(row).created_at")), \(row).status, \(row).severity, \(n) FROM (\(levels)) l WHERE true
            ON CONFLICT (level, bucket, status, severity) DO UPDATE SET n = n + excluded.n;
            """
        }
        return """
            CREATE TRIGGER \(name) AFTER \(event) ON alerts\(when.map { " WHEN \($0)" } ?? "")
            BEGIN
            \(statements.joined(separator: "\n"))
            END
            """
    }
}
