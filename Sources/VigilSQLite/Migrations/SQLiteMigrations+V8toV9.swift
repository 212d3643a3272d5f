extension SQLiteMigrations {
    /// Versions of paced channels, Telex ticks and the statistics rollups. Released: never edit, append.
    static let v8toV9: [Migration] = [
        Migration(
            version: 8,
            name: "paced channels and Telex ticks",
            statements: [
                // Pace (ChannelKind.pace) in ms, 0 for unpaced kinds: claims read it in SQL.
                "ALTER TABLE channels ADD COLUMN pace_ms INTEGER NOT NULL DEFAULT 0",
                // When the channel's next message may be claimed (µs since the epoch).
                "ALTER TABLE channels ADD COLUMN next_send_at INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE channels ADD COLUMN last_tick_at INTEGER",
            ]
        ),
        Migration(
            version: 9,
            name: "event rollups for statistics",
            statements: [
                // Events counted per bucket (µs since the epoch, a multiple of the level's
                // width) and field value; see RollupLevel and RollupKind.
                """
                CREATE TABLE event_rollups (
                    level TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    bucket INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    n INTEGER NOT NULL,
                    PRIMARY KEY (level, kind, bucket, key)
                ) WITHOUT ROWID
                """,
                // Alert statistics count each status and severity of a window from an index.
                "CREATE INDEX alerts_severity_created ON alerts (severity, created_at)",
                // Per bucket, keys by count: the candidates for top lists (see eventStats).
                "CREATE INDEX event_rollups_rank ON event_rollups (level, kind, bucket, n DESC)",
                // The highest events.seq counted in event_rollups.
                "CREATE TABLE rollup_state (name TEXT PRIMARY KEY, position INTEGER NOT NULL)",
                "INSERT INTO rollup_state (name, position) VALUES ('events', 0)",
            ]
        ),
    ]
}
