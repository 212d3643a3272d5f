import Logging
import PostgresNIO
import VigilCore

/// The versioned schema of the PostgreSQL backend, applied in order under a session advisory
/// lock, each migration in its own transaction with its row in `schema_migrations`: N nodes
/// starting at once apply every migration exactly once. Never edit a released migration.
enum PostgresMigrations {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
    }

    /// Advisory-lock key of the migration step (any constant unique to Vigil).
    static let lockKey: Int64 = 0x5649_4749_4C00_0001

    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "events",
            statements: [
                // Partitioned by month on occurred_at; the primary key must include the
                // partition key, so client-id uniqueness lives in event_client_ids.
                // details is `json` (kept exactly as accepted, as the API returns it) with a
                // GIN index over its jsonb form. facets and search are derived at ingest
                // (EventSearchColumns) and carry the equality filters and full text.
                """
                CREATE TABLE events (
                    id uuid NOT NULL,
                    type text NOT NULL,
                    occurred_at timestamptz NOT NULL,
                    received_at timestamptz NOT NULL,
                    severity smallint NOT NULL,
                    outcome text NOT NULL,
                    actor text,
                    entity_type text,
                    entity_id text,
                    source text,
                    ip inet,
                    location text,
                    description text,
                    details json NOT NULL DEFAULT '{}',
                    ingested_by text NOT NULL,
                    content_hash text NOT NULL,
                    facets text[] NOT NULL,
                    search tsvector NOT NULL,
                    -- The writing transaction: followers read below the oldest running one,
                    -- so a row committed late is never skipped (see PostgresStore+EventLog).
                    tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    PRIMARY KEY (occurred_at, id)
                ) PARTITION BY RANGE (occurred_at)
                """,
                "CREATE TABLE events_default PARTITION OF events DEFAULT",
                "CREATE INDEX events_id ON events (id)",
                "CREATE INDEX events_ip_time ON events (ip inet_ops, occurred_at, id)",
                "CREATE INDEX events_tx ON events (tx, id)",
                "CREATE INDEX events_facets ON events USING gin (facets)",
                "CREATE INDEX events_details ON events USING gin ((details::jsonb) jsonb_path_ops)",
                "CREATE INDEX events_search ON events USING gin (search)",
                "CREATE TABLE event_client_ids (id uuid PRIMARY KEY)",
            ]
        ),
        Migration(
            version: 2,
            name: "identity",
            statements: [
                """
                CREATE TABLE users (
                    id uuid PRIMARY KEY,
                    username text NOT NULL,
                    password_hash text NOT NULL,
                    role text NOT NULL CHECK (role IN ('admin', 'analyst', 'user')),
                    disabled boolean NOT NULL DEFAULT false,
                    token_version bigint NOT NULL DEFAULT 1,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX users_username ON users (lower(username))",
                """
                CREATE TABLE refresh_tokens (
                    id uuid PRIMARY KEY,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    family_id uuid NOT NULL,
                    token_hash text NOT NULL UNIQUE,
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL,
                    used_at timestamptz,
                    revoked_at timestamptz
                )
                """,
                "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
                "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)",
                "CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL)",
            ]
        ),
        Migration(
            version: 3,
            name: "api_keys",
            statements: [
                """
                CREATE TABLE api_keys (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    prefix text NOT NULL,
                    key_hash text NOT NULL UNIQUE,
                    scopes text NOT NULL,
                    created_by text NOT NULL,
                    created_at timestamptz NOT NULL,
                    expires_at timestamptz,
                    last_used_at timestamptz,
                    revoked_at timestamptz
                )
                """,
                "CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL",
            ]
        ),
        Migration(
            version: 4,
            name: "login_failures",
            statements: [
                """
                CREATE TABLE login_failures (
                    key text PRIMARY KEY,
                    count integer NOT NULL,
                    window_start timestamptz NOT NULL,
                    blocked_until timestamptz
                )
                """
            ]
        ),
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

    /// Applies every migration not yet recorded; returns the versions it applied. Holds the
    /// advisory lock on one connection for the whole run, so concurrent callers wait, then find
    /// nothing left to do.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withConnection { connection in
            // Try, then wait a little, rather than one blocking pg_advisory_lock: a wait longer
            // than the connection's statement_timeout would fail, and a failure must never be
            // mistaken for holding the lock (two nodes migrating at once).
            while true {
                let locked = try await connection.query("SELECT pg_try_advisory_lock(\(lockKey))", logger: logger).collect()
                if try locked.first?.decode(Bool.self) == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            do {
                let applied = try await self.applyPending(on: connection, logger: logger)
                _ = try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger).collect()
                return applied
            } catch {
                // If the connection is still alive, do not hand it back to the pool holding the lock.
                _ = try? await connection.query("SELECT pg_advisory_unlock_all()", logger: logger)
                throw error
            }
        }
    }

    private static func applyPending(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var done = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int32.self) {
            done.insert(Int(version))
        }
        var applied: [Int] = []
        for migration in all where !done.contains(migration.version) {
            try await connection.withTransaction(logger: logger) { connection in
                // A migration may rewrite a large table; the per-request timeout is not for it.
                try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(Int32(migration.version)), \(migration.name))",
                    logger: logger
                )
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}
