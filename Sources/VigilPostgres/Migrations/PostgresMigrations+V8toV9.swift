extension PostgresMigrations {
    /// Versions of paced channels, Telex ticks and the statistics rollups. Released: never edit, append.
    static let v8toV9: [Migration] = [
        Migration(
            version: 8,
            name: "paced channels and Telex ticks",
            statements: [
                // Pace (ChannelKind.pace) in ms, 0 for unpaced kinds: claims read it in SQL;
                // next_send_at is when the channel's next message may be claimed.
                """
                ALTER TABLE channels ADD COLUMN pace_ms integer NOT NULL DEFAULT 0,
                    ADD COLUMN next_send_at timestamptz NOT NULL DEFAULT 'epoch',
                    ADD COLUMN last_tick_at timestamptz
                """
            ]
        ),
        Migration(
            version: 9,
            name: "event rollups for statistics",
            statements: [
                // Events counted per bucket (the start of the level's minute, hour or UTC day)
                // and field value; see RollupLevel and RollupKind.
                """
                CREATE TABLE event_rollups (
                    level text NOT NULL,
                    kind text NOT NULL,
                    bucket timestamptz NOT NULL,
                    key text COLLATE "C" NOT NULL,
                    n bigint NOT NULL,
                    PRIMARY KEY (level, kind, bucket, key)
                )
                """,
                // Per bucket, keys by count: the candidates for top lists (see eventStats). No
                // INCLUDE (key): an index-only scan of it must never look cheaper than the
                // primary key for probing one key.
                "CREATE INDEX event_rollups_rank ON event_rollups (level, kind, bucket, n DESC)",
                // The log position (transaction id, event id) up to which events are counted.
                "CREATE TABLE rollup_state (name text PRIMARY KEY, tx xid8 NOT NULL, id uuid NOT NULL)",
                "INSERT INTO rollup_state (name, tx, id) VALUES ('events', '0', '00000000-0000-0000-0000-000000000000')",
            ]
        ),
    ]
}
