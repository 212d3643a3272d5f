extension SQLiteMigrations {
    /// Versions of detection and notification: rules, alerts, channels and the outbox. Released: never edit, append.
    static let v5toV7: [Migration] = [
        Migration(
            version: 5,
            name: "rules",
            statements: [
                """
                CREATE TABLE rules (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    definition TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                )
                """
            ]
        ),
        Migration(
            version: 6,
            name: "alerts",
            statements: [
                """
                CREATE TABLE alerts (
                    id TEXT PRIMARY KEY,
                    rule_id TEXT NOT NULL,
                    rule_name TEXT NOT NULL,
                    title TEXT NOT NULL,
                    severity INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    group_key TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    assignee TEXT,
                    suppress_seconds INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX alerts_created ON alerts (created_at, id)",
                "CREATE INDEX alerts_status_created ON alerts (status, created_at, id)",
                "CREATE INDEX alerts_rule_group ON alerts (rule_id, group_key, created_at)",
                """
                CREATE TABLE alert_evidence (
                    seq INTEGER PRIMARY KEY,
                    alert_id TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    summary TEXT NOT NULL
                )
                """,
                "CREATE INDEX alert_evidence_alert ON alert_evidence (alert_id, seq)",
                """
                CREATE TABLE alert_history (
                    seq INTEGER PRIMARY KEY,
                    alert_id TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    from_status TEXT,
                    to_status TEXT NOT NULL,
                    assignee TEXT,
                    note TEXT
                )
                """,
                "CREATE INDEX alert_history_alert ON alert_history (alert_id, seq)",
                """
                CREATE TABLE detector_state (
                    name TEXT PRIMARY KEY,
                    position TEXT,
                    newest_event_time INTEGER,
                    updated_at INTEGER NOT NULL
                )
                """,
            ]
        ),
        Migration(
            version: 7,
            name: "notifications",
            statements: [
                """
                CREATE TABLE channels (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    definition TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE outbox (
                    id TEXT PRIMARY KEY,
                    channel_id TEXT NOT NULL,
                    alert_id TEXT NOT NULL,
                    event TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL,
                    lease_owner TEXT,
                    lease_expires_at INTEGER,
                    last_error TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
                "CREATE INDEX outbox_created ON outbox (created_at, id)",
                "CREATE INDEX outbox_channel ON outbox (channel_id, created_at)",
                "CREATE INDEX outbox_alert ON outbox (alert_id)",
                """
                CREATE TABLE delivery_attempts (
                    seq INTEGER PRIMARY KEY,
                    outbox_id TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    status_code INTEGER,
                    error TEXT,
                    latency_ms INTEGER NOT NULL
                )
                """,
                "CREATE INDEX delivery_attempts_outbox ON delivery_attempts (outbox_id, seq)",
            ]
        ),
    ]
}
