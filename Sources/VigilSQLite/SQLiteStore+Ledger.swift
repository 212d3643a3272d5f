import Foundation
import NIOCore
import SQLiteNIO
import VigilCore

extension SQLiteStore: LedgerStore {
    static let ledgerName = "events"

    public func ledgerState() async throws -> LedgerState? {
        try await self.pool.read { try await Self.ledgerState(on: $0) }
    }

    public func commitSeal(_ seal: LedgerSeal) async throws {
        try await self.pool.writeTransaction { connection in
            // The write transaction excludes every other writer of the file.
            guard (try await Self.ledgerState(on: connection)?.frontier.size ?? 0) == seal.expectedSize else { throw VigilError.ledgerMoved }
            try await Self.insertRows(
                into: "ledger_leaves",
                columns: "leaf_index, event_id, leaf_hash",
                rows: seal.leaves.map { [.integer($0.index), .text($0.eventID.lowercased), Self.blob($0.hash)] },
                on: connection
            )
            try await Self.insertRows(
                into: "ledger_nodes",
                columns: "level, node_index, hash",
                rows: seal.nodes.map { [.integer($0.address.level), .integer($0.address.index), Self.blob($0.hash)] },
                on: connection
            )
            let state = seal.state
            let note = state.checkpoint ?? ""
            let sealedAt = Int(state.sealedAt?.microseconds ?? 0)
            _ = try await connection.query(
                """
                INSERT INTO ledger_state (name, origin, tree_size, frontier, position, checkpoint, sealed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET tree_size = excluded.tree_size, frontier = excluded.frontier,
                position = excluded.position, checkpoint = excluded.checkpoint, sealed_at = excluded.sealed_at
                """,
                [
                    .text(Self.ledgerName), .text(state.origin), .integer(state.frontier.size), Self.blob(state.frontier.nodes.flatMap { $0 }),
                    state.position.map { .text($0.token) } ?? .null, .text(note), .integer(sealedAt),
                ]
            )
            if seal.keepCheckpoint {
                _ = try await connection.query(
                    "INSERT INTO ledger_checkpoints (tree_size, note, created_at) VALUES (?, ?, ?)",
                    [.integer(state.frontier.size), .text(note), .integer(sealedAt)]
                )
            }
        }
    }

    public func ledgerLeaf(eventID: UUID) async throws -> LedgerLeaf? {
        let rows = try await self.pool.read {
            try await $0.query("SELECT leaf_index, event_id, leaf_hash, pruned_by FROM ledger_leaves WHERE event_id = ?", [.text(eventID.lowercased)])
        }
        return try rows.decodeAll(table: "ledger_leaves", Self.leaf(from:)).first
    }

    public func ledgerLeaves(from: Int, limit: Int) async throws -> [LedgerLeaf] {
        let rows = try await self.pool.read {
            try await $0.query(
                "SELECT leaf_index, event_id, leaf_hash, pruned_by FROM ledger_leaves WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?",
                [.integer(from), .integer(limit)]
            )
        }
        return try rows.decodeAll(table: "ledger_leaves", Self.leaf(from:))
    }

    public func merkleNodes(_ addresses: [MerkleNode.Address]) async throws -> [MerkleNode.Address: Merkle.Hash] {
        guard !addresses.isEmpty else { return [:] }
        let leaves = addresses.filter { $0.level == 0 }
        let inner = addresses.filter { $0.level > 0 }
        return try await self.pool.read { connection in
            var found: [MerkleNode.Address: Merkle.Hash] = [:]
            if !leaves.isEmpty {
                let marks = Array(repeating: "?", count: leaves.count).joined(separator: ",")
                let rows = try await connection.query(
                    "SELECT leaf_index, leaf_hash FROM ledger_leaves WHERE leaf_index IN (\(marks))",
                    leaves.map { .integer($0.index) }
                )
                for row in rows { found[.init(level: 0, index: Int(row.int64("leaf_index")))] = Self.bytes(row.column("leaf_hash")) }
            }
            if !inner.isEmpty {
                let values = Array(repeating: "(?, ?)", count: inner.count).joined(separator: ",")
                let rows = try await connection.query(
                    "WITH wanted(level, node_index) AS (VALUES \(values)) SELECT n.level, n.node_index, n.hash FROM ledger_nodes n JOIN wanted w USING (level, node_index)",
                    inner.flatMap { [.integer($0.level), .integer($0.index)] }
                )
                for row in rows {
                    found[.init(level: Int(row.int64("level")), index: Int(row.int64("node_index")))] = Self.bytes(row.column("hash"))
                }
            }
            return found
        }
    }

    public func ledgerCheckpoints(sizes: ClosedRange<Int>) async throws -> [String] {
        let rows = try await self.pool.read {
            try await $0.query(
                "SELECT note FROM ledger_checkpoints WHERE tree_size BETWEEN ? AND ? ORDER BY tree_size",
                [.integer(sizes.lowerBound), .integer(sizes.upperBound)]
            )
        }
        return try rows.decodeAll(table: "ledger_checkpoints") { $0.string("note") }
    }

    public func ledgerKeys() async throws -> [LedgerKeyRecord] {
        let rows = try await self.pool.read {
            try await $0.query(
                "SELECT key_id, name, public_key, private_key, created_at, retired_at FROM ledger_keys ORDER BY created_at DESC, key_id"
            )
        }
        return try rows.decodeAll(table: "ledger_keys") { row in
            guard let id = row.string("key_id"), let name = row.string("name"), let publicKey = Self.bytes(row.column("public_key")) else {
                return nil
            }
            let retired = row.column("retired_at").flatMap { $0.isNull ? nil : $0.integer }
            return LedgerKeyRecord(
                keyID: id,
                name: name,
                publicKey: publicKey,
                privateKey: Self.bytes(row.column("private_key")),
                createdAt: Timestamp(microseconds: row.int64("created_at")),
                retiredAt: retired.map { Timestamp(microseconds: Int64($0)) }
            )
        }
    }

    public func activateLedgerKey(_ key: LedgerKeyRecord) async throws {
        try await self.pool.writeTransaction { connection in
            let now = Int(key.createdAt.microseconds)
            // A retired key's private half is erased: it must never sign again.
            _ = try await connection.query(
                "UPDATE ledger_keys SET retired_at = ?, private_key = NULL WHERE key_id <> ? AND retired_at IS NULL",
                [.integer(now), .text(key.keyID)]
            )
            _ = try await connection.query(
                """
                INSERT INTO ledger_keys (key_id, name, public_key, private_key, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key_id) DO UPDATE SET retired_at = NULL
                """,
                [.text(key.keyID), .text(key.name), Self.blob(key.publicKey), key.privateKey.map(Self.blob) ?? .null, .integer(now)]
            )
        }
    }

    private static func ledgerState(on connection: SQLiteConnection) async throws -> LedgerState? {
        let rows = try await connection.query(
            "SELECT origin, tree_size, frontier, position, checkpoint, sealed_at FROM ledger_state WHERE name = ?",
            [.text(Self.ledgerName)]
        )
        return try rows.decodeAll(table: "ledger_state") { row -> LedgerState? in
            guard let origin = row.string("origin"), let bytes = Self.bytes(row.column("frontier")), bytes.count % 32 == 0,
                let frontier = MerkleFrontier(
                    size: Int(row.int64("tree_size")),
                    nodes: stride(from: 0, to: bytes.count, by: 32).map { Array(bytes[$0..<$0 + 32]) }
                )
            else { return nil }
            return LedgerState(
                origin: origin,
                frontier: frontier,
                position: row.string("position").map(LogPosition.init(token:)),
                checkpoint: row.string("checkpoint"),
                sealedAt: Timestamp(microseconds: row.int64("sealed_at"))
            )
        }.first
    }

    private static func leaf(from row: SQLiteRow) -> LedgerLeaf? {
        guard let id = row.string("event_id").flatMap(UUID.init(uuidString:)), let hash = Self.bytes(row.column("leaf_hash")), hash.count == 32 else {
            return nil
        }
        let prunedBy = row.string("pruned_by")
        if prunedBy != nil, prunedBy.flatMap(UUID.init(uuidString:)) == nil { return nil }
        return LedgerLeaf(index: Int(row.int64("leaf_index")), eventID: id, hash: hash, prunedBy: prunedBy.flatMap(UUID.init(uuidString:)))
    }

    static func blob(_ bytes: [UInt8]) -> SQLiteData { .blob(ByteBuffer(bytes: bytes)) }

    static func bytes(_ data: SQLiteData?) -> [UInt8]? {
        guard case .blob(var buffer) = data else { return nil }
        return buffer.readBytes(length: buffer.readableBytes)
    }
}

extension SQLiteStore {
    public func eventCount(receivedOutside window: Range<Timestamp>) async throws -> Int {
        let rows = try await self.pool.read {
            try await $0.query(
                "SELECT count(*) AS n FROM events WHERE received_at < ? OR received_at >= ?",
                [.integer(Int(window.lowerBound.microseconds)), .integer(Int(window.upperBound.microseconds))]
            )
        }
        return Int(rows.first?.int64("n") ?? 0)
    }
}
