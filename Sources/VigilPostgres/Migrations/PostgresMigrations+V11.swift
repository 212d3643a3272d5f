extension PostgresMigrations {
    /// Leaves as tiles. A row, two b-tree entries and their WAL per leaf were the largest part of
    /// sealing's cost on PostgreSQL (10 of 26 µs of machine CPU per leaf, docs/benchmarks.md);
    /// a tile holds 256 leaves in one row, and an event's leaf is found through the event's log
    /// position — leaves are in log order — instead of a b-tree entry of its own. Released:
    /// never edit, append.
    static let v11: [Migration] = [
        Migration(
            version: 11,
            name: "ledger leaves stored as tiles of 256",
            statements: [
                // Tile t holds leaves 256t … 256t+255 in order: event_ids 16 bytes and hashes
                // 32 bytes per leaf. (pos_tx, pos_id) is the log position of the tile's first
                // leaf whose event was stored when the tile was written (null when none was);
                // stored as is, not compressed (hashes do not compress).
                """
                CREATE TABLE ledger_tiles (
                    tile_index bigint PRIMARY KEY,
                    pos_tx xid8,
                    pos_id uuid,
                    event_ids bytea NOT NULL,
                    hashes bytea NOT NULL,
                    CHECK (length(event_ids) * 2 = length(hashes) AND length(hashes) BETWEEN 32 AND 8192 AND length(hashes) % 32 = 0)
                )
                """,
                "ALTER TABLE ledger_tiles ALTER COLUMN event_ids SET STORAGE EXTERNAL, ALTER COLUMN hashes SET STORAGE EXTERNAL",
                "CREATE INDEX ledger_tiles_position ON ledger_tiles (pos_tx, pos_id) WHERE pos_tx IS NOT NULL",
                // A leaf outlives its event: retention records which deletion took it.
                "CREATE TABLE ledger_pruned (leaf_index bigint PRIMARY KEY, record_id uuid NOT NULL)",
                // The leaf index of the stored event at log position (tx, id): the last tile
                // starting at or before that position, and the event's place in it.
                """
                CREATE FUNCTION ledger_leaf_index(p_tx xid8, p_id uuid) RETURNS bigint
                LANGUAGE sql STABLE PARALLEL SAFE AS $$
                    SELECT t.tile_index * 256 + (p.at - 1) / 16
                    FROM (
                        SELECT tile_index, event_ids FROM ledger_tiles
                        WHERE pos_tx IS NOT NULL AND (pos_tx, pos_id) <= (p_tx, p_id)
                        ORDER BY pos_tx DESC, pos_id DESC LIMIT 1
                    ) t
                    CROSS JOIN LATERAL (SELECT position(uuid_send(p_id) IN t.event_ids) AS at) p
                    WHERE p.at > 0 AND (p.at - 1) % 16 = 0
                $$
                """,
                """
                INSERT INTO ledger_tiles (tile_index, pos_tx, pos_id, event_ids, hashes)
                SELECT l.leaf_index / 256,
                    (array_agg(e.tx ORDER BY l.leaf_index) FILTER (WHERE e.id IS NOT NULL))[1],
                    (array_agg(e.id ORDER BY l.leaf_index) FILTER (WHERE e.id IS NOT NULL))[1],
                    string_agg(uuid_send(l.event_id), ''::bytea ORDER BY l.leaf_index),
                    string_agg(l.leaf_hash, ''::bytea ORDER BY l.leaf_index)
                FROM ledger_leaves l LEFT JOIN events e ON e.id = l.event_id
                GROUP BY l.leaf_index / 256
                """,
                "INSERT INTO ledger_pruned (leaf_index, record_id) SELECT leaf_index, pruned_by FROM ledger_leaves WHERE pruned_by IS NOT NULL",
                "DROP TABLE ledger_leaves",
            ]
        )
    ]
}
