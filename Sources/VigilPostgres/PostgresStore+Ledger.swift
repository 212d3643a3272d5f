import Foundation
import NIOCore
import PostgresNIO
import VigilCore

extension PostgresStore: LedgerStore {
    static let ledgerName = "events"

    public func ledgerState() async throws -> LedgerState? {
        try await self.bounded {
            try await self.client.withConnection { try await self.ledgerState(on: $0, lock: false) }
        }
    }

    public func commitSeal(_ seal: LedgerSeal) async throws {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                // The row lock serializes sealers; a deposed one finds the size moved. (Two
                // first seals at once collide on leaf 0's key instead.)
                guard (try await self.ledgerState(on: connection, lock: true)?.frontier.size ?? 0) == seal.expectedSize else {
                    throw VigilError.ledgerMoved
                }
                try await self.insert(seal, on: connection)
                let state = seal.state
                let note = state.checkpoint ?? ""
                let sealedAt = state.sealedAt ?? .now()
                let frontier = ByteBuffer(bytes: state.frontier.nodes.flatMap { $0 })
                try await connection.query(
                    """
                    INSERT INTO ledger_state (name, origin, tree_size, frontier, position, checkpoint, sealed_at)
                    VALUES (\(Self.ledgerName), \(state.origin), \(Int64(state.frontier.size)), \(frontier), \(state.position?.token), \(note), \(sealedAt))
                    ON CONFLICT (name) DO UPDATE SET tree_size = excluded.tree_size, frontier = excluded.frontier,
                    position = excluded.position, checkpoint = excluded.checkpoint, sealed_at = excluded.sealed_at
                    """,
                    logger: self.logger
                )
                if seal.keepCheckpoint {
                    try await connection.query(
                        "INSERT INTO ledger_checkpoints (tree_size, note, created_at) VALUES (\(Int64(state.frontier.size)), \(note), \(sealedAt))",
                        logger: self.logger
                    )
                }
            }
        }
    }

    /// Leaves into their tiles, nodes through `unnest` of arrays (one in eight as many).
    private func insert(_ seal: LedgerSeal, on connection: PostgresConnection) async throws {
        try await self.appendLeaves(seal.leaves, on: connection)
        if !seal.nodes.isEmpty {
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO ledger_nodes (level, node_index, hash) SELECT * FROM unnest($1::int2[], $2::int8[], $3::bytea[])",
                    binds: try Self.bindings(
                        seal.nodes.map { Int16($0.address.level) },
                        seal.nodes.map { Int64($0.address.index) },
                        seal.nodes.map { ByteBuffer(bytes: $0.hash) }
                    )
                ),
                logger: self.logger
            )
        }
    }

    public func merkleNodes(_ addresses: [MerkleNode.Address]) async throws -> [MerkleNode.Address: Merkle.Hash] {
        var leaves: [MerkleNode.Address: Merkle.Hash] = [:]
        for (index, hash) in try await self.leafHashes(addresses.filter { $0.level == 0 }.map(\.index)) {
            leaves[.init(level: 0, index: index)] = hash
        }
        let nodes = addresses.filter { $0.level > 0 }
        guard !nodes.isEmpty else { return leaves }
        return try await self.bounded { [leaves] in
            var found = leaves
            let rows = try await self.client.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT n.level, n.node_index, n.hash FROM unnest($1::int2[], $2::int8[]) AS w(level, node_index)
                        JOIN ledger_nodes n ON n.level = w.level AND n.node_index = w.node_index
                        """,
                    binds: try Self.bindings(nodes.map { Int16($0.level) }, nodes.map { Int64($0.index) })
                ),
                logger: self.logger
            )
            for try await (level, index, hash) in rows.decode((Int16, Int64, ByteBuffer).self) {
                found[.init(level: Int(level), index: Int(index))] = Array(buffer: hash)
            }
            return found
        }
    }

    public func ledgerCheckpoints(sizes: ClosedRange<Int>) async throws -> [String] {
        try await self.bounded {
            let rows = try await self.client.query(
                """
                SELECT note FROM ledger_checkpoints WHERE tree_size BETWEEN \(Int64(sizes.lowerBound)) AND \(Int64(sizes.upperBound))
                ORDER BY tree_size
                """,
                logger: self.logger
            )
            var notes: [String] = []
            for try await note in rows.decode(String.self) { notes.append(note) }
            return notes
        }
    }

    public func ledgerKeys() async throws -> [LedgerKeyRecord] {
        try await self.bounded {
            let rows = try await self.client.query(
                "SELECT key_id, name, public_key, private_key, created_at, retired_at FROM ledger_keys ORDER BY created_at DESC, key_id",
                logger: self.logger
            )
            var keys: [LedgerKeyRecord] = []
            for try await (id, name, publicKey, privateKey, created, retired) in rows.decode(
                (String, String, ByteBuffer, ByteBuffer?, Timestamp, Timestamp?).self
            ) {
                keys.append(
                    LedgerKeyRecord(
                        keyID: id,
                        name: name,
                        publicKey: Array(buffer: publicKey),
                        privateKey: privateKey.map { Array(buffer: $0) },
                        createdAt: created,
                        retiredAt: retired
                    )
                )
            }
            return keys
        }
    }

    public func activateLedgerKey(_ key: LedgerKeyRecord) async throws {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                // A retired key's private half is erased: it must never sign again.
                try await connection.query(
                    "UPDATE ledger_keys SET retired_at = \(key.createdAt), private_key = NULL WHERE key_id <> \(key.keyID) AND retired_at IS NULL",
                    logger: self.logger
                )
                let privateKey = key.privateKey.map { ByteBuffer(bytes: $0) }
                try await connection.query(
                    """
                    INSERT INTO ledger_keys (key_id, name, public_key, private_key, created_at)
                    VALUES (\(key.keyID), \(key.name), \(ByteBuffer(bytes: key.publicKey)), \(privateKey), \(key.createdAt))
                    ON CONFLICT (key_id) DO UPDATE SET retired_at = NULL
                    """,
                    logger: self.logger
                )
            }
        }
    }

    private func ledgerState(on connection: PostgresConnection, lock: Bool) async throws -> LedgerState? {
        let rows = try await connection.query(
            """
            SELECT origin, tree_size, frontier, position, checkpoint, sealed_at FROM ledger_state
            WHERE name = \(Self.ledgerName)\(unescaped: lock ? " FOR UPDATE" : "")
            """,
            logger: self.logger
        )
        var state: LedgerState?
        for try await (origin, size, frontier, position, note, sealedAt) in rows.decode((String, Int64, ByteBuffer, String?, String, Timestamp).self)
        {
            let bytes = Array(buffer: frontier)
            guard bytes.count % 32 == 0,
                let nodes = MerkleFrontier(size: Int(size), nodes: stride(from: 0, to: bytes.count, by: 32).map { Array(bytes[$0..<$0 + 32]) })
            else { throw CorruptRow(table: "ledger_state") }
            state = LedgerState(
                origin: origin,
                frontier: nodes,
                position: position.map(LogPosition.init(token:)),
                checkpoint: note,
                sealedAt: sealedAt
            )
        }
        return state
    }
}

extension PostgresStore {
    public func eventCount(receivedOutside window: Range<Timestamp>) async throws -> Int {
        // Counting every row can outlast the request budget: a transaction without one.
        try await self.client.withTransaction(logger: self.logger) { connection in
            try await connection.query("SET LOCAL statement_timeout = 0", logger: self.logger)
            let rows = try await connection.query(
                "SELECT count(*) FROM events WHERE received_at < \(window.lowerBound) OR received_at >= \(window.upperBound)",
                logger: self.logger
            )
            var count = 0
            for try await n in rows.decode(Int64.self) { count = Int(n) }
            return count
        }
    }
}
