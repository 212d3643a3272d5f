extension PostgresMigrations {
    /// Versions of the log and identity: events, users and tokens, API keys, login failures. Released: never edit, append.
    static let v1toV4: [Migration] = [
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
    ]
}
