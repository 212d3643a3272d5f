extension SQLiteMigrations {
    /// The tamper-evident ledger and legal holds; the word index. Released: never edit, append.
    static let v10toV11: [Migration] = [
        Migration(
            version: 10,
            name: "tamper-evident ledger and retention holds",
            statements: [
                // One row: the sealer's state (see LedgerState); frontier is the concatenated
                // 32-byte roots of the tree's right edge.
                """
                CREATE TABLE ledger_state (
                    name TEXT PRIMARY KEY,
                    origin TEXT NOT NULL,
                    tree_size INTEGER NOT NULL,
                    frontier BLOB NOT NULL,
                    position TEXT,
                    checkpoint TEXT NOT NULL,
                    sealed_at INTEGER NOT NULL
                )
                """,
                // A leaf outlives its event: retention sets pruned_by and keeps the hash.
                """
                CREATE TABLE ledger_leaves (
                    leaf_index INTEGER PRIMARY KEY,
                    event_id TEXT NOT NULL UNIQUE,
                    leaf_hash BLOB NOT NULL,
                    pruned_by TEXT
                )
                """,
                // Perfect subtrees of level ≥ 4 (level 0 is ledger_leaves; 1-3 are rebuilt from leaves).
                """
                CREATE TABLE ledger_nodes (
                    level INTEGER NOT NULL,
                    node_index INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (level, node_index)
                ) WITHOUT ROWID
                """,
                "CREATE TABLE ledger_checkpoints (tree_size INTEGER PRIMARY KEY, note TEXT NOT NULL, created_at INTEGER NOT NULL)",
                """
                CREATE TABLE ledger_keys (
                    key_id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    public_key BLOB NOT NULL,
                    private_key BLOB,
                    created_at INTEGER NOT NULL,
                    retired_at INTEGER
                )
                """,
                // Legal holds: events they match are never deleted by retention.
                """
                CREATE TABLE retention_holds (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    reason TEXT,
                    from_time INTEGER,
                    to_time INTEGER,
                    type_pattern TEXT,
                    actor TEXT,
                    entity_id TEXT,
                    created_by TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                )
                """,
            ]
        ),
        Migration(
            version: 11,
            name: "full text indexed by a follower, in time order",
            statements: [
                // The words of each event (TextSearch, as PostgreSQL's tsvector holds them) under
                // a rowid that sorts by time (see WordRowid), written by the word indexer that
                // follows the log; events after its position are matched row by row
                // (vigil_has_words), so search is exact at any lag. It replaces an FTS5 table
                // keyed by seq and kept by triggers, which split words unlike TextSearch, cost
                // ~11 µs of every ingested row, and could only hand back every match of a word.
                // contentless_delete: retention removes a deleted event's words with it.
                "CREATE VIRTUAL TABLE event_words USING fts5 (words, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii')",
                "INSERT INTO rollup_state (name, position) VALUES ('words', 0)",
                "DROP TRIGGER events_fts_insert",
                "DROP TRIGGER events_fts_delete",
                "DROP TABLE events_fts",
            ]
        ),
    ]
}
