import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: RetentionStore {
    static let holdColumns = "id, name, reason, from_time, to_time, type_pattern, actor, entity_id, created_by, created_at"

    public func retentionHolds() async throws -> [RetentionHold] {
        let rows = try await self.pool.read { try await $0.query("SELECT \(Self.holdColumns) FROM retention_holds ORDER BY created_at, id") }
        return try rows.decodeAll(table: "retention_holds", Self.hold(from:))
    }

    public func insertRetentionHold(_ hold: RetentionHold) async throws {
        let time = { (value: Timestamp?) -> SQLiteData in value.map { .integer(Int($0.microseconds)) } ?? .null }
        let binds: [SQLiteData] = [
            .text(hold.id.lowercased), .text(hold.name), hold.reason.sqlite, time(hold.from), time(hold.to), hold.type.sqlite,
            hold.actor.sqlite, hold.entityID.sqlite, .text(hold.createdBy), time(hold.createdAt),
        ]
        try await self.pool.writeAutocommit { connection in
            _ = try await connection.query("INSERT INTO retention_holds (\(Self.holdColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", binds)
        }
    }

    /// One statement: the hold as it was, or nil when there was none.
    public func deleteRetentionHold(id: UUID) async throws -> RetentionHold? {
        let rows = try await self.pool.writeAutocommit {
            try await $0.query("DELETE FROM retention_holds WHERE id = ? RETURNING \(Self.holdColumns)", [.text(id.lowercased)])
        }
        return try rows.decodeAll(table: "retention_holds", Self.hold(from:)).first
    }

    public func ledgerLeafIndices(eventIDs: [UUID]) async throws -> [UUID: Int] {
        guard !eventIDs.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: eventIDs.count).joined(separator: ",")
        let rows = try await self.pool.read {
            try await $0.query("SELECT event_id, leaf_index FROM ledger_leaves WHERE event_id IN (\(marks))", eventIDs.map { .text($0.lowercased) })
        }
        var found: [UUID: Int] = [:]
        for row in rows {
            guard let id = row.string("event_id").flatMap(UUID.init(uuidString:)) else { throw CorruptRow(table: "ledger_leaves") }
            found[id] = Int(row.int64("leaf_index"))
        }
        return found
    }

    public func deleteEvents(_ ids: [UUID], record: PreparedEvent) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let binds: [SQLiteData] = ids.map { .text($0.lowercased) }
        return try await self.pool.writeTransaction { connection in
            // The record first: it takes a seq above every event, deleted or not. Inserted
            // after the delete, it could take the seq of a deleted newest event, and the
            // followers of the log (detector, rollups, sealer, word index) are already past it.
            try await Self.insert([record][...], on: connection).get()
            _ = try await connection.query(
                "UPDATE ledger_leaves SET pruned_by = ? WHERE event_id IN (\(marks))",
                [.text(record.event.id.lowercased)] + binds
            )
            let deleted = try await connection.query("DELETE FROM events WHERE id IN (\(marks)) RETURNING seq, occurred_at", binds)
            try await Self.deleteWords(of: deleted, on: connection)
            return deleted.count
        }
    }

    /// Takes the words of deleted events (`seq`, `occurred_at` rows) out of the word index, for
    /// those it already holds; in the transaction that deletes them.
    static func deleteWords(of events: [SQLiteRow], on connection: SQLiteConnection) async throws {
        let position = try await Self.wordIndexPosition(on: connection)
        let rowids: [SQLiteData] = events.compactMap { row in
            let seq = row.int64("seq")
            guard seq <= position else { return nil }
            return WordRowid.rowid(seq: seq, occurredAt: row.int64("occurred_at")).map { .integer(Int($0)) }
        }
        guard !rowids.isEmpty else { return }
        _ = try await connection.query("DELETE FROM event_words WHERE rowid IN (\(SQLiteFilter.placeholders(rowids.count)))", rowids)
    }

    /// SQLite keeps one table: nothing to drop whole.
    public func eventPartitions() async throws -> [EventPartition] { [] }

    public func partitionContents(_ partition: EventPartition) async throws -> (events: Int, leaves: [Int]) { (0, []) }

    public func dropPartition(_ partition: EventPartition, expectedEvents: Int, record: PreparedEvent) async throws -> Bool { false }

    private static func hold(from row: SQLiteRow) -> RetentionHold? {
        guard let id = row.string("id").flatMap(UUID.init(uuidString:)), let name = row.string("name"), let createdBy = row.string("created_by")
        else { return nil }
        let time = { (name: String) -> Timestamp? in
            row.column(name).flatMap { $0.isNull ? nil : $0.integer }.map { Timestamp(microseconds: Int64($0)) }
        }
        return RetentionHold(
            id: id,
            name: name,
            reason: row.string("reason"),
            from: time("from_time"),
            to: time("to_time"),
            type: row.string("type_pattern"),
            actor: row.string("actor"),
            entityID: row.string("entity_id"),
            createdBy: createdBy,
            createdAt: Timestamp(microseconds: row.int64("created_at"))
        )
    }
}
