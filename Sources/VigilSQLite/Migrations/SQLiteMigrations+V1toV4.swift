extension SQLiteMigrations {
    /// Versions of the log and identity: events, users and tokens, API keys, login failures. Released: never edit, append.
    static let v1toV4: [Migration] = [
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
    ]
}
