extension PostgresMigrations {
    /// Versions of detection and notification: rules, alerts, channels and the outbox. Released: never edit, append.
    static let v5toV7: [Migration] = [
        Migration(
            version: 5,
            name: "rules",
            statements: [
                """
                CREATE TABLE rules (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    definition json NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX rules_name ON rules (lower(name))",
            ]
        ),
        Migration(
            version: 6,
            name: "alerts",
            statements: [
                """
                CREATE TABLE alerts (
                    id uuid PRIMARY KEY,
                    rule_id uuid NOT NULL,
                    rule_name text NOT NULL,
                    title text NOT NULL,
                    severity smallint NOT NULL,
                    status text NOT NULL,
                    group_key text NOT NULL,
                    count bigint NOT NULL,
                    first_seen timestamptz NOT NULL,
                    last_seen timestamptz NOT NULL,
                    assignee text,
                    suppress_seconds bigint NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX alerts_created ON alerts (created_at, id)",
                "CREATE INDEX alerts_status_created ON alerts (status, created_at, id)",
                "CREATE INDEX alerts_rule_group ON alerts (rule_id, group_key, created_at)",
                """
                CREATE TABLE alert_evidence (
                    n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    alert_id uuid NOT NULL,
                    event_id uuid NOT NULL,
                    occurred_at timestamptz NOT NULL,
                    summary text NOT NULL
                )
                """,
                "CREATE INDEX alert_evidence_alert ON alert_evidence (alert_id, occurred_at, n)",
                """
                CREATE TABLE alert_history (
                    n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    alert_id uuid NOT NULL,
                    at timestamptz NOT NULL,
                    actor text NOT NULL,
                    from_status text,
                    to_status text NOT NULL,
                    assignee text,
                    note text
                )
                """,
                "CREATE INDEX alert_history_alert ON alert_history (alert_id, n)",
                """
                CREATE TABLE detector_state (
                    name text PRIMARY KEY,
                    position text,
                    newest_event_time timestamptz,
                    updated_at timestamptz NOT NULL
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
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    definition json NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX channels_name ON channels (lower(name))",
                """
                CREATE TABLE outbox (
                    id uuid PRIMARY KEY,
                    channel_id uuid NOT NULL,
                    alert_id uuid NOT NULL,
                    event text NOT NULL,
                    payload text NOT NULL,
                    status text NOT NULL,
                    attempts integer NOT NULL,
                    next_attempt_at timestamptz NOT NULL,
                    lease_owner text,
                    lease_expires_at timestamptz,
                    last_error text,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                // Only undelivered rows are ever claimed: a partial index stays small.
                "CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'delivering')",
                "CREATE INDEX outbox_created ON outbox (created_at, id)",
                "CREATE INDEX outbox_channel ON outbox (channel_id, created_at)",
                "CREATE INDEX outbox_alert ON outbox (alert_id)",
                """
                CREATE TABLE delivery_attempts (
                    n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    outbox_id uuid NOT NULL,
                    at timestamptz NOT NULL,
                    status_code integer,
                    error text,
                    latency_ms integer NOT NULL
                )
                """,
                "CREATE INDEX delivery_attempts_outbox ON delivery_attempts (outbox_id, n)",
            ]
        ),
    ]
}
