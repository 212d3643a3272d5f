extension PostgresMigrations {
    /// The tamper-evident ledger and legal holds. Released: never edit, append.
    static let v10: [Migration] = [
        Migration(
            version: 10,
            name: "tamper-evident ledger and retention holds",
            statements: [
                // One row: the sealer's state (see LedgerState); frontier is the concatenated
                // 32-byte roots of the tree's right edge.
                """
                CREATE TABLE ledger_state (
                    name text PRIMARY KEY,
                    origin text NOT NULL,
                    tree_size bigint NOT NULL,
                    frontier bytea NOT NULL,
                    position text,
                    checkpoint text NOT NULL,
                    sealed_at timestamptz NOT NULL
                )
                """,
                // A leaf outlives its event: retention sets pruned_by and keeps the hash.
                """
                CREATE TABLE ledger_leaves (
                    leaf_index bigint PRIMARY KEY,
                    event_id uuid NOT NULL UNIQUE,
                    leaf_hash bytea NOT NULL,
                    pruned_by uuid
                )
                """,
                // Perfect subtrees of level ≥ 4 (level 0 is ledger_leaves; 1-3 are rebuilt from leaves).
                """
                CREATE TABLE ledger_nodes (
                    level smallint NOT NULL,
                    node_index bigint NOT NULL,
                    hash bytea NOT NULL,
                    PRIMARY KEY (level, node_index)
                )
                """,
                "CREATE TABLE ledger_checkpoints (tree_size bigint PRIMARY KEY, note text NOT NULL, created_at timestamptz NOT NULL)",
                """
                CREATE TABLE ledger_keys (
                    key_id text PRIMARY KEY,
                    name text NOT NULL,
                    public_key bytea NOT NULL,
                    private_key bytea,
                    created_at timestamptz NOT NULL,
                    retired_at timestamptz
                )
                """,
                // Legal holds: events they match are never deleted by retention.
                """
                CREATE TABLE retention_holds (
                    id uuid PRIMARY KEY,
                    name text NOT NULL,
                    reason text,
                    from_time timestamptz,
                    to_time timestamptz,
                    type_pattern text,
                    actor text,
                    entity_id text,
                    created_by text NOT NULL,
                    created_at timestamptz NOT NULL
                )
                """,
            ]
        )
    ]
}
