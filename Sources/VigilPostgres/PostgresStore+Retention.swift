import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: RetentionStore {
    static let holdColumns = "id, name, reason, from_time, to_time, type_pattern, actor, entity_id, created_by, created_at"

    public func retentionHolds() async throws -> [RetentionHold] {
        try await self.holds("SELECT \(unescaped: Self.holdColumns) FROM retention_holds ORDER BY created_at, id")
    }

    private func holds(_ query: PostgresQuery) async throws -> [RetentionHold] {
        try await self.bounded {
            let rows = try await self.client.query(query, logger: self.logger)
            var holds: [RetentionHold] = []
            for try await (id, name, reason, from, to, type, actor, entityID, createdBy, createdAt) in rows.decode(
                (UUID, String, String?, Timestamp?, Timestamp?, String?, String?, String?, String, Timestamp).self
            ) {
                holds.append(
                    RetentionHold(
                        id: id,
                        name: name,
                        reason: reason,
                        from: from,
                        to: to,
                        type: type,
                        actor: actor,
                        entityID: entityID,
                        createdBy: createdBy,
                        createdAt: createdAt
                    )
                )
            }
            return holds
        }
    }

    public func insertRetentionHold(_ hold: RetentionHold) async throws {
        try await self.bounded {
            try await self.client.query(
                """
                INSERT INTO retention_holds (id, name, reason, from_time, to_time, type_pattern, actor, entity_id, created_by, created_at)
                VALUES (\(hold.id), \(hold.name), \(hold.reason), \(hold.from), \(hold.to), \(hold.type), \(hold.actor), \(hold.entityID),
                \(hold.createdBy), \(hold.createdAt))
                """,
                logger: self.logger
            )
        }
    }

    /// One statement: the hold as it was, or nil when there was none.
    public func deleteRetentionHold(id: UUID) async throws -> RetentionHold? {
        try await self.holds("DELETE FROM retention_holds WHERE id = \(id) RETURNING \(unescaped: Self.holdColumns)").first
    }

    public func ledgerLeafIndices(eventIDs: [UUID]) async throws -> [UUID: Int] {
        guard !eventIDs.isEmpty else { return [:] }
        return try await self.bounded {
            let rows = try await self.client.query(
                """
                SELECT id, i FROM (SELECT id, ledger_leaf_index(tx, id) AS i FROM events WHERE id = ANY(\(eventIDs)::uuid[])) x
                WHERE i IS NOT NULL
                """,
                logger: self.logger
            )
            var found: [UUID: Int] = [:]
            for try await (id, index) in rows.decode((UUID, Int64).self) { found[id] = Int(index) }
            return found
        }
    }

    public func deleteEvents(_ ids: [UUID], record: PreparedEvent) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                // Marked before the rows go: an event's leaf is found through its log position.
                try await connection.query(
                    """
                    INSERT INTO ledger_pruned (leaf_index, record_id)
                    SELECT i, \(record.event.id) FROM (SELECT ledger_leaf_index(tx, id) AS i FROM events WHERE id = ANY(\(ids)::uuid[])) x
                    WHERE i IS NOT NULL ON CONFLICT (leaf_index) DO NOTHING
                    """,
                    logger: self.logger
                )
                let rows = try await connection.query("DELETE FROM events WHERE id = ANY(\(ids)::uuid[]) RETURNING id", logger: self.logger)
                var deleted = 0
                for try await _ in rows.decode(UUID.self) { deleted += 1 }
                try await self.copy([record], on: connection)
                return deleted
            }
        }
    }

    public func eventPartitions() async throws -> [EventPartition] {
        try await self.bounded {
            try await PostgresPartitions.existing(self.client, logger: self.logger).compactMap { name in
                guard let month = PostgresPartitions.Month(tableName: name) else { return nil }
                return EventPartition(name: name, range: month.startTime..<month.adding(1).startTime)
            }
        }
    }

    public func partitionContents(_ partition: EventPartition) async throws -> (events: Int, leaves: [Int]) {
        let table = try Self.partitionTable(partition)
        // Counting a month can outlast the request budget: a transaction without one.
        return try await self.client.withTransaction(logger: self.logger) { connection in
            try await connection.query("SET LOCAL statement_timeout = 0", logger: self.logger)
            var events = 0
            for try await count in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: self.logger).decode(
                Int64.self
            ) {
                events = Int(count)
            }
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: "SELECT i FROM (SELECT ledger_leaf_index(tx, id) AS i FROM \(table)) x WHERE i IS NOT NULL ORDER BY 1"
                ),
                logger: self.logger
            )
            var leaves: [Int] = []
            for try await index in rows.decode(Int64.self) { leaves.append(Int(index)) }
            return (events, leaves)
        }
    }

    public func dropPartition(_ partition: EventPartition, expectedEvents: Int, record: PreparedEvent) async throws -> Bool {
        let table = try Self.partitionTable(partition)
        return try await self.client.withTransaction(logger: self.logger) { connection in
            try await connection.query("SET LOCAL statement_timeout = 0", logger: self.logger)
            // The partition maintenance lock: no one creates or moves partitions meanwhile.
            _ = try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresPartitions.lockKey))", logger: self.logger).collect()
            var events = -1
            for try await count in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: self.logger).decode(
                Int64.self
            ) {
                events = Int(count)
            }
            // Rows arrived since the leaves were read: the record would not account for them.
            guard events == expectedEvents else { return false }
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO ledger_pruned (leaf_index, record_id)
                        SELECT i, $1 FROM (SELECT ledger_leaf_index(tx, id) AS i FROM \(table)) x
                        WHERE i IS NOT NULL ON CONFLICT (leaf_index) DO NOTHING
                        """,
                    binds: try Self.bindings(record.event.id)
                ),
                logger: self.logger
            )
            try await self.copy([record], on: connection)
            try await connection.query(PostgresQuery(unsafeSQL: "ALTER TABLE events DETACH PARTITION \(table)"), logger: self.logger)
            try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"), logger: self.logger)
            return true
        }
    }

    /// The partition's table name, only ever one Vigil made (DDL takes no bind parameters).
    private static func partitionTable(_ partition: EventPartition) throws -> String {
        guard PostgresPartitions.Month(tableName: partition.name) != nil else {
            throw VigilError.validation([FieldError(field: "partition", message: "is not an events partition")])
        }
        return partition.name
    }
}
