import Logging
import SQLiteNIO
import VigilCore

/// The versioned schema of the SQLite backend. Migrations are applied in order, each in its own
/// transaction together with its row in `schema_migrations`, so a crash never leaves one half-applied.
/// Never edit a released migration; append a new one.
enum SQLiteMigrations {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "events",
            statements: [
                """
                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    severity INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    actor TEXT,
                    entity_type TEXT,
                    entity_id TEXT,
                    source TEXT,
                    ip TEXT,
                    ip_bytes BLOB,
                    location TEXT,
                    description TEXT,
                    details TEXT NOT NULL DEFAULT '{}',
                    ingested_by TEXT NOT NULL,
                    content_hash TEXT NOT NULL
                )
                """,
                "CREATE INDEX events_time ON events (occurred_at, id)",
                "CREATE INDEX events_actor_time ON events (actor, occurred_at, id)",
                "CREATE INDEX events_type_time ON events (type, occurred_at, id)",
                "CREATE INDEX events_source_time ON events (source, occurred_at, id)",
                "CREATE INDEX events_entity_time ON events (entity_id, occurred_at, id)",
                "CREATE INDEX events_ip_time ON events (ip_bytes, occurred_at, id)",
                """
                CREATE VIRTUAL TABLE events_fts USING fts5 (
                    type, actor, entity_type, entity_id, source, location, description,
                    content = 'events', content_rowid = 'seq'
                )
                """,
                """
                CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
                    INSERT INTO events_fts (rowid, type, actor, entity_type, entity_id, source, location, description)
                    VALUES (new.seq, new.type, new.actor, new.entity_type, new.entity_id, new.source, new.location, new.description);
                END
                """,
                """
                CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
                    INSERT INTO events_fts (events_fts, rowid, type, actor, entity_type, entity_id, source, location, description)
                    VALUES ('delete', old.seq, old.type, old.actor, old.entity_type, old.entity_id, old.source, old.location, old.description);
                END
                """,
            ]
        ),
        Migration(
            version: 2,
            name: "identity",
            statements: [
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'user')),
                    disabled INTEGER NOT NULL DEFAULT 0,
                    token_version INTEGER NOT NULL DEFAULT 1,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE refresh_tokens (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    family_id TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    used_at INTEGER,
                    revoked_at INTEGER
                )
                """,
                "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
                "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)",
                "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ]
        ),
        Migration(
            version: 3,
            name: "api_keys",
            statements: [
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    key_hash TEXT NOT NULL UNIQUE,
                    scopes TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    last_used_at INTEGER,
                    revoked_at INTEGER
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
                    key TEXT PRIMARY KEY,
                    count INTEGER NOT NULL,
                    window_start INTEGER NOT NULL,
                    blocked_until INTEGER
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

    /// Applies every migration not yet recorded; returns the versions it applied.
    static func migrate(_ pool: SQLiteDatabasePool, logger: Logger) async throws -> [Int] {
        try await pool.write { connection in
            _ = try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
            )
        }
        var applied: [Int] = []
        for migration in all {
            // The version check runs inside the write transaction, so two processes migrating
            // the same file at once apply each migration exactly once.
            let didApply = try await pool.write { connection -> Bool in
                let rows = try await connection.query("SELECT 1 FROM schema_migrations WHERE version = ?", [.integer(migration.version)])
                guard rows.isEmpty else { return false }
                for statement in migration.statements {
                    _ = try await connection.query(statement)
                }
                _ = try await connection.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.integer(migration.version), .text(migration.name), .integer(Int(Timestamp.now().microseconds))]
                )
                return true
            }
            if didApply {
                logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        return applied
    }
}
