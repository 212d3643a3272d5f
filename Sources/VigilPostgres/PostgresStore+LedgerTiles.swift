import Foundation
import NIOCore
import PostgresNIO
import VigilCore

/// The tree's leaves in `ledger_tiles` (256 a row, migration 11) and the leaves retention took
/// in `ledger_pruned`. An event's leaf is found through the event's log position
/// (`ledger_leaf_index(tx, id)`): leaves are in log order, so the tile is the last one starting
/// at or before that position.
extension PostgresStore {
    /// Appends consecutive leaves in the seal's transaction. Only the first tile they touch can
    /// exist already (the newest, partial one); it must hold exactly the leaves the tree size
    /// says, or the stored tiles are not the tree the state describes.
    func appendLeaves(_ leaves: [LedgerLeaf], on connection: PostgresConnection) async throws {
        var tiles: [(index: Int, leaves: ArraySlice<LedgerLeaf>)] = []
        var start = leaves.startIndex
        while start < leaves.endIndex {
            let tile = leaves[start].index / LedgerTile.width
            var end = start
            while end < leaves.endIndex, leaves[end].index / LedgerTile.width == tile { end += 1 }
            tiles.append((tile, leaves[start..<end]))
            start = end
        }
        var fresh = tiles[...]
        if let partial = tiles.first, let first = partial.leaves.first, first.index % LedgerTile.width != 0 {
            let (ids, hashes) = LedgerTile.encode(partial.leaves)
            let stored = Int32(first.index % LedgerTile.width * 32)
            let updated = try await connection.query(
                """
                UPDATE ledger_tiles SET event_ids = event_ids || \(ids), hashes = hashes || \(hashes)
                WHERE tile_index = \(Int64(partial.index)) AND length(hashes) = \(stored) RETURNING tile_index
                """,
                logger: self.logger
            ).collect()
            guard updated.count == 1 else { throw CorruptRow(table: "ledger_tiles") }
            fresh = tiles.dropFirst()
        }
        guard !fresh.isEmpty else { return }
        let encoded = fresh.map { LedgerTile.encode($0.leaves) }
        // A new tile's position is its first event's, read here rather than carried from the
        // log read: one index lookup per 256 leaves (LATERAL … LIMIT 1 keeps it a lookup; a
        // plain join was planned as a hash join over the whole events table).
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO ledger_tiles (tile_index, pos_tx, pos_id, event_ids, hashes)
                    SELECT t.tile, e.tx, e.id, t.ids, t.hashes
                    FROM unnest($1::int8[], $2::uuid[], $3::bytea[], $4::bytea[]) AS t(tile, first, ids, hashes)
                    LEFT JOIN LATERAL (SELECT tx, id FROM events WHERE id = t.first LIMIT 1) e ON true
                    """,
                binds: try Self.bindings(
                    fresh.map { Int64($0.index) },
                    fresh.map { $0.leaves.first!.eventID },
                    encoded.map(\.eventIDs),
                    encoded.map(\.hashes)
                )
            ),
            logger: self.logger
        )
    }

    public func ledgerLeaf(eventID: UUID) async throws -> LedgerLeaf? {
        try await self.bounded {
            let rows = try await self.client.query(
                """
                SELECT x.i, substring(t.hashes FROM (x.i % 256)::int * 32 + 1 FOR 32), p.record_id
                FROM (SELECT ledger_leaf_index(tx, id) AS i FROM events WHERE id = \(eventID) LIMIT 1) x
                JOIN ledger_tiles t ON t.tile_index = x.i / 256
                LEFT JOIN ledger_pruned p ON p.leaf_index = x.i
                """,
                logger: self.logger
            )
            for try await (index, hash, prunedBy) in rows.decode((Int64, ByteBuffer, UUID?).self) {
                guard hash.readableBytes == 32 else { throw CorruptRow(table: "ledger_tiles") }
                return LedgerLeaf(index: Int(index), eventID: eventID, hash: Array(buffer: hash), prunedBy: prunedBy)
            }
            return nil
        }
    }

    /// At most `limit` leaves from `from` on (at most 64 tiles' worth a call), stopping at the
    /// first missing tile (a cut tree: the caller finds the gap).
    public func ledgerLeaves(from: Int, limit: Int) async throws -> [LedgerLeaf] {
        guard from >= 0, limit > 0 else { return [] }
        let end = from + min(limit, 64 * LedgerTile.width)
        let tiles = try await self.tiles(Array(from / LedgerTile.width...(end - 1) / LedgerTile.width))
        let pruned = try await self.bounded {
            let rows = try await self.client.query(
                "SELECT leaf_index, record_id FROM ledger_pruned WHERE leaf_index >= \(Int64(from)) AND leaf_index < \(Int64(end))",
                logger: self.logger
            )
            var pruned: [Int: UUID] = [:]
            for try await (index, record) in rows.decode((Int64, UUID).self) { pruned[Int(index)] = record }
            return pruned
        }
        var leaves: [LedgerLeaf] = []
        var next = from
        for tile in tiles {
            guard tile.index == next / LedgerTile.width else { break }
            var offset = next - tile.firstLeaf
            while offset < tile.count, next < end {
                leaves.append(tile.leaf(at: offset, prunedBy: pruned[next]))
                offset += 1
                next += 1
            }
            if tile.count < LedgerTile.width || next == end { break }
        }
        return leaves
    }

    /// The stored hashes of these leaves; missing ones are absent.
    func leafHashes(_ indices: [Int]) async throws -> [Int: Merkle.Hash] {
        guard !indices.isEmpty else { return [:] }
        let tiles = try await self.tiles(Array(Set(indices.map { $0 / LedgerTile.width })).sorted())
        let byIndex = Dictionary(tiles.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        var found: [Int: Merkle.Hash] = [:]
        for index in indices {
            guard let tile = byIndex[index / LedgerTile.width], index - tile.firstLeaf < tile.count else { continue }
            found[index] = tile.hash(at: index - tile.firstLeaf)
        }
        return found
    }

    /// The stored tiles of these indices, in index order.
    private func tiles(_ indices: [Int]) async throws -> [LedgerTile] {
        try await self.bounded {
            let rows = try await self.client.query(
                """
                SELECT tile_index, event_ids, hashes FROM ledger_tiles
                WHERE tile_index = ANY(\(indices.map { Int64($0) })::int8[]) ORDER BY tile_index
                """,
                logger: self.logger
            )
            var tiles: [LedgerTile] = []
            for try await (index, ids, hashes) in rows.decode((Int64, ByteBuffer, ByteBuffer).self) {
                tiles.append(try LedgerTile(index: Int(index), eventIDs: ids, hashes: hashes))
            }
            return tiles
        }
    }
}
