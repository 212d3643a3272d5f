import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: ChannelStore {
    static let channelColumns = "id, definition, created_at, updated_at"

    public func channels() async throws -> [NotificationChannel] {
        try await self.pool.read { try await Self.channels(where: "", [], on: $0) }
    }

    public func channel(id: UUID) async throws -> NotificationChannel? {
        try await self.pool.read { try await Self.channels(where: "WHERE id = ?", [.text(id.lowercased)], on: $0).first }
    }

    public func createChannel(_ channel: NotificationChannel) async throws {
        let inserted = try await self.pool.writeTransaction { connection in
            try await connection.query(
                """
                INSERT INTO channels (\(Self.channelColumns), name, pace_ms) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO NOTHING RETURNING id
                """,
                [
                    .text(channel.id.lowercased), .text(channel.definition.canonicalJSON), .integer(Int(channel.createdAt.microseconds)),
                    .integer(Int(channel.updatedAt.microseconds)), .text(channel.name), .integer(channel.kind.paceMilliseconds),
                ]
            )
        }
        guard !inserted.isEmpty else { throw VigilError.channelNameTaken }
    }

    public func updateChannel(_ channel: NotificationChannel) async throws -> NotificationChannel? {
        try await self.pool.writeTransaction { connection in
            guard let before = try await Self.channels(where: "WHERE id = ?", [.text(channel.id.lowercased)], on: connection).first else {
                return nil
            }
            let clash = try await connection.query(
                "SELECT 1 FROM channels WHERE name = ? COLLATE NOCASE AND id != ?",
                [.text(channel.name), .text(channel.id.lowercased)]
            )
            guard clash.isEmpty else { throw VigilError.channelNameTaken }
            _ = try await connection.query(
                "UPDATE channels SET name = ?, definition = ?, updated_at = ?, pace_ms = ? WHERE id = ?",
                [
                    .text(channel.name), .text(channel.definition.canonicalJSON), .integer(Int(channel.updatedAt.microseconds)),
                    .integer(channel.kind.paceMilliseconds), .text(channel.id.lowercased),
                ]
            )
            return before
        }
    }

    public func deleteChannel(id: UUID) async throws -> NotificationChannel? {
        try await self.pool.writeTransaction { connection in
            let deleted = try await connection.query(
                "DELETE FROM channels WHERE id = ? RETURNING \(Self.channelColumns)",
                [.text(id.lowercased)]
            ).prefix(1).decodeAll(table: "channels", Self.channel(from:)).first
            if deleted != nil {
                // Undelivered notifications go with the channel, and their attempts with them;
                // delivered ones stay as the record of what was sent.
                _ = try await connection.query(
                    """
                    DELETE FROM delivery_attempts WHERE outbox_id IN
                        (SELECT id FROM outbox WHERE channel_id = ? AND status IN ('pending', 'delivering', 'dead'))
                    """,
                    [.text(id.lowercased)]
                )
                _ = try await connection.query(
                    "DELETE FROM outbox WHERE channel_id = ? AND status IN ('pending', 'delivering', 'dead')",
                    [.text(id.lowercased)]
                )
            }
            return deleted
        }
    }

    public func advanceTick(channelID: UUID, to now: Timestamp) async throws -> Timestamp? {
        try await self.pool.writeTransaction { connection in
            let previous = try await connection.query("SELECT last_tick_at FROM channels WHERE id = ?", [.text(channelID.lowercased)])
            guard let row = previous.first else { return nil }
            _ = try await connection.query(
                "UPDATE channels SET last_tick_at = ? WHERE id = ?",
                [.integer(Int(now.microseconds)), .text(channelID.lowercased)]
            )
            return row.column("last_tick_at").flatMap { $0.isNull ? nil : $0.integer }.map { Timestamp(microseconds: Int64($0)) }
        }
    }

    public func rewindTick(channelID: UUID, from now: Timestamp, to previous: Timestamp?) async throws {
        _ = try await self.pool.writeTransaction { connection in
            try await connection.query(
                "UPDATE channels SET last_tick_at = ? WHERE id = ? AND last_tick_at = ?",
                [previous.map { .integer(Int($0.microseconds)) } ?? .null, .text(channelID.lowercased), .integer(Int(now.microseconds))]
            )
        }
    }

    static func channels(where clause: String, _ binds: [SQLiteData], on connection: SQLiteConnection) async throws -> [NotificationChannel] {
        try await connection.query("SELECT \(channelColumns) FROM channels \(clause) ORDER BY created_at, id", binds).decodeAll(
            table: "channels",
            Self.channel(from:)
        )
    }

    static func channel(from row: SQLiteRow) -> NotificationChannel? {
        guard let id = row.string("id").flatMap(UUID.init(canonical:)), let definition = row.string("definition") else { return nil }
        return NotificationChannel.stored(
            id: id,
            definition: definition,
            createdAt: Timestamp(microseconds: row.int64("created_at")),
            updatedAt: Timestamp(microseconds: row.int64("updated_at"))
        )
    }
}
