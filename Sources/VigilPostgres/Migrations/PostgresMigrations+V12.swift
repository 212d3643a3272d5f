extension PostgresMigrations {
    /// Alert counts kept per minute, hour and day, by status and severity. Counting the alerts of a
    /// window (and every open one) read the whole table on each statistics request, most of a
    /// request's time at a million events (docs/benchmarks.md).
    ///
    /// Statement triggers on `alerts` append each statement's net change to
    /// `alert_count_deltas`: appending takes no lock another writer waits for, so a triage and a
    /// detection commit never deadlock on a counter row. The rollup step folds the deltas into
    /// `alert_counts` (one `DELETE … RETURNING` feeding an upsert, one transaction); readers sum
    /// both tables in one snapshot, so counts are exact before and after a fold. Released: never
    /// edit, append.
    static let v12: [Migration] = [
        Migration(
            version: 12,
            name: "alert counts per minute, hour and day",
            statements: [
                """
                CREATE TABLE alert_counts (
                    level text NOT NULL, bucket timestamptz NOT NULL, status text NOT NULL, severity smallint NOT NULL,
                    n bigint NOT NULL, PRIMARY KEY (level, bucket, status, severity)
                )
                """,
                "CREATE TABLE alert_count_deltas (level text NOT NULL, bucket timestamptz NOT NULL, status text NOT NULL, severity smallint NOT NULL, n bigint NOT NULL)",
                PostgresMigrations.countsFunction("alert_counts_inserted", "SELECT created_at, status, severity, 1 AS d FROM new_rows"),
                PostgresMigrations.countsFunction(
                    "alert_counts_updated",
                    "SELECT created_at, status, severity, 1 AS d FROM new_rows UNION ALL SELECT created_at, status, severity, -1 FROM old_rows"
                ),
                PostgresMigrations.countsFunction("alert_counts_deleted", "SELECT created_at, status, severity, -1 AS d FROM old_rows"),
                """
                CREATE TRIGGER alerts_counted_insert AFTER INSERT ON alerts REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION alert_counts_inserted()
                """,
                """
                CREATE TRIGGER alerts_counted_update AFTER UPDATE ON alerts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION alert_counts_updated()
                """,
                """
                CREATE TRIGGER alerts_counted_delete AFTER DELETE ON alerts REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION alert_counts_deleted()
                """,
                // The alerts already stored. CREATE TRIGGER locked `alerts` against writes (by any
                // node, of any version) until this migration commits, so each alert is counted
                // once: here, or by a trigger.
                """
                INSERT INTO alert_counts (level, bucket, status, severity, n)
                SELECT l.level, date_trunc(l.unit, a.created_at, 'UTC'), a.status, a.severity, count(*)
                FROM alerts a CROSS JOIN (VALUES ('m', 'minute'), ('h', 'hour'), ('d', 'day')) l(level, unit)
                GROUP BY 1, 2, 3, 4
                """,
            ]
        )
    ]

    /// A trigger function appending the net change of `changes` (rows of created_at, status,
    /// severity and ±1) per minute, hour and day bucket; changes that cancel out append nothing.
    private static func countsFunction(_ name: String, _ changes: String) -> String {
        """
        CREATE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO alert_count_deltas (level, bucket, status, severity, n)
            SELECT l.level, date_trunc(l.unit, c.created_at, 'UTC'), c.status, c.severity, sum(c.d)
            FROM (\(changes)) c CROSS JOIN (VALUES ('m', 'minute'), ('h', 'hour'), ('d', 'day')) l(level, unit)
            GROUP BY 1, 2, 3, 4 HAVING sum(c.d) <> 0;
            RETURN NULL;
        END
        $$
        """
    }
}
