import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: ChannelStore {
    static let channelColumns = "id, definition::text, created_at, updated_at"

    public func channels() async throws -> [NotificationChannel] {
        try await self.bounded { try await self.client.withConnection { try await self.channels(on: $0) } }
    }

    public func channel(id: UUID) async throws -> NotificationChannel? {
        try await self.bounded {
            try await self.client.withConnection { connection in
                try await self.decodeChannels(
                    connection.query("SELECT \(unescaped: Self.channelColumns) FROM channels WHERE id = \(id)", logger: self.logger)
                ).first
            }
        }
    }

    public func createChannel(_ channel: NotificationChannel) async throws {
        let definition = channel.definition.canonicalJSON
        let inserted = try await self.bounded {
            try await self.client.withConnection { connection in
                try await connection.query(
                    """
                    INSERT INTO channels (id, name, definition, created_at, updated_at, pace_ms)
                    VALUES (\(channel.id), \(channel.name), \(definition)::json, \(channel.createdAt), \(channel.updatedAt),
                        \(channel.kind.paceMilliseconds))
                    ON CONFLICT DO NOTHING RETURNING id
                    """,
                    logger: self.logger
                ).collect()
            }
        }
        guard !inserted.isEmpty else { throw VigilError.channelNameTaken }
    }

    public func updateChannel(_ channel: NotificationChannel) async throws -> NotificationChannel? {
        let definition = channel.definition.canonicalJSON
        return try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection -> NotificationChannel? in
                guard
                    let before = try await self.decodeChannels(
                        connection.query(
                            "SELECT \(unescaped: Self.channelColumns) FROM channels WHERE id = \(channel.id) FOR UPDATE",
                            logger: self.logger
                        )
                    ).first
                else { return nil }
                do {
                    try await connection.query(
                        """
                        UPDATE channels SET name = \(channel.name), definition = \(definition)::json, updated_at = \(channel.updatedAt),
                            pace_ms = \(channel.kind.paceMilliseconds)
                        WHERE id = \(channel.id)
                        """,
                        logger: self.logger
                    )
                } catch  where PostgresFailure.sqlState(error) == "23505" {
                    throw VigilError.channelNameTaken
                }
                return before
            }
        }
    }

    public func deleteChannel(id: UUID) async throws -> NotificationChannel? {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection -> NotificationChannel? in
                let deleted = try await self.decodeChannels(
                    connection.query("DELETE FROM channels WHERE id = \(id) RETURNING \(unescaped: Self.channelColumns)", logger: self.logger)
                ).first
                if deleted != nil {
                    // Undelivered notifications go with the channel, and their attempts with them;
                    // delivered ones stay as the record of what was sent.
                    try await connection.query(
                        """
                        WITH gone AS (
                            DELETE FROM outbox WHERE channel_id = \(id) AND status IN ('pending', 'delivering', 'dead') RETURNING id)
                        DELETE FROM delivery_attempts WHERE outbox_id IN (SELECT id FROM gone)
                        """,
                        logger: self.logger
                    )
                }
                return deleted
            }
        }
    }

    public func advanceTick(channelID: UUID, to now: Timestamp) async throws -> Timestamp? {
        try await self.bounded {
            // The old value comes from the row as locked by this UPDATE: concurrent ticks
            // queue on the row and each sees the mark the one before it set.
            let rows = try await self.client.query(
                """
                UPDATE channels c SET last_tick_at = \(now) FROM (SELECT id, last_tick_at FROM channels WHERE id = \(channelID) FOR UPDATE) old
                WHERE c.id = old.id RETURNING old.last_tick_at
                """,
                logger: self.logger
            ).collect()
            return try rows.first?.decode(Timestamp?.self)
        }
    }

    public func rewindTick(channelID: UUID, from now: Timestamp, to previous: Timestamp?) async throws {
        try await self.bounded {
            try await self.client.query(
                "UPDATE channels SET last_tick_at = \(previous) WHERE id = \(channelID) AND last_tick_at = \(now)",
                logger: self.logger
            )
        }
    }

    func channels(on connection: PostgresConnection) async throws -> [NotificationChannel] {
        try await self.decodeChannels(
            connection.query("SELECT \(unescaped: Self.channelColumns) FROM channels ORDER BY created_at, id", logger: self.logger)
        )
    }

    private func decodeChannels(_ rows: PostgresRowSequence) async throws -> [NotificationChannel] {
        var channels: [NotificationChannel] = []
        for try await (id, definition, createdAt, updatedAt) in rows.decode((UUID, String, Timestamp, Timestamp).self) {
            guard let channel = NotificationChannel.stored(id: id, definition: definition, createdAt: createdAt, updatedAt: updatedAt) else {
                throw CorruptRow(table: "channels")
            }
            channels.append(channel)
        }
        return channels
    }
}
