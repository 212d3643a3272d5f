import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: OutboxStore {
    static let outboxColumns = "id, channel_id, alert_id, event, payload, status, attempts, next_attempt_at, last_error, created_at, updated_at"

    public func claimDeliveries(node: String, now: Timestamp, leaseUntil: Timestamp, limit: Int, batchLimit: Int) async throws -> [OutboxEntry] {
        let (now, lease) = (SQLiteData.integer(Int(now.microseconds)), SQLiteData.integer(Int(leaseUntil.microseconds)))
        let due = "((status = 'pending' AND next_attempt_at <= ?1) OR (status = 'delivering' AND lease_expires_at < ?1))"
        let claim = "UPDATE outbox SET status = 'delivering', lease_owner = ?2, lease_expires_at = ?3, attempts = attempts + 1, updated_at = ?1"
        return try await self.pool.writeTransaction { connection in
            // Paced channels first: each ready one is held until the lease ends (its message is
            // in flight) and takes all its due notifications as one message.
            let ready = try await connection.query(
                """
                SELECT id FROM channels c WHERE pace_ms > 0 AND next_send_at <= ?1
                AND EXISTS (SELECT 1 FROM outbox WHERE channel_id = c.id AND \(due)) ORDER BY next_send_at LIMIT ?2
                """,
                [now, .integer(limit)]
            ).compactMap { $0.string("id") }
            var claimed: [OutboxEntry] = []
            for channel in ready {
                _ = try await connection.query("UPDATE channels SET next_send_at = ?1 WHERE id = ?2", [lease, .text(channel)])
                claimed += try await connection.query(
                    """
                    \(claim) WHERE id IN (SELECT id FROM outbox WHERE channel_id = ?4 AND \(due) ORDER BY created_at, id LIMIT ?5)
                    RETURNING \(Self.outboxColumns)
                    """,
                    [now, .text(node), lease, .text(channel), .integer(batchLimit)]
                ).decodeAll(table: "outbox", Self.outboxEntry(from:))
            }
            guard ready.count < limit else { return claimed }
            claimed += try await connection.query(
                """
                \(claim) WHERE id IN (
                    SELECT id FROM outbox WHERE \(due) AND channel_id NOT IN (SELECT id FROM channels WHERE pace_ms > 0)
                    ORDER BY next_attempt_at LIMIT ?4)
                RETURNING \(Self.outboxColumns)
                """,
                [now, .text(node), lease, .integer(limit - ready.count)]
            ).decodeAll(table: "outbox", Self.outboxEntry(from:))
            return claimed
        }
    }

    public func recordAttempt(
        _ attempt: DeliveryAttempt,
        outcomes: [(id: UUID, outcome: DeliveryOutcome)],
        node: String,
        channelReadyAt: (channelID: UUID, at: Timestamp)?
    ) async throws -> Set<UUID> {
        try await self.pool.writeTransaction { connection in
            var recorded: Set<UUID> = []
            for (id, outcome) in outcomes {
                let updated = try await connection.query(
                    """
                    UPDATE outbox SET status = ?, next_attempt_at = coalesce(?, next_attempt_at), lease_owner = NULL,
                    lease_expires_at = NULL, last_error = ?, updated_at = ?
                    WHERE id = ? AND status = 'delivering' AND lease_owner = ? RETURNING id
                    """,
                    [
                        .text(outcome.status.rawValue), outcome.nextAttemptAt.map { .integer(Int($0.microseconds)) } ?? .null,
                        attempt.error.sqlite, .integer(Int(attempt.at.microseconds)), .text(id.lowercased), .text(node),
                    ]
                )
                guard !updated.isEmpty else { continue }
                recorded.insert(id)
                _ = try await connection.query(
                    "INSERT INTO delivery_attempts (outbox_id, at, status_code, error, latency_ms) VALUES (?, ?, ?, ?, ?)",
                    [
                        .text(id.lowercased), .integer(Int(attempt.at.microseconds)), attempt.statusCode.map { .integer($0) } ?? .null,
                        attempt.error.sqlite, .integer(attempt.latencyMilliseconds),
                    ]
                )
            }
            // A node that lost its leases lost the channel too: the new holder paces it.
            if let (channel, at) = channelReadyAt, !recorded.isEmpty {
                _ = try await connection.query(
                    "UPDATE channels SET next_send_at = ? WHERE id = ?",
                    [.integer(Int(at.microseconds)), .text(channel.lowercased)]
                )
            }
            return recorded
        }
    }

    public func deliveries(matching query: DeliveryQuery) async throws -> [Delivery] {
        var filter = SQLiteFilter()
        if let channelID = query.channelID {
            filter.add("channel_id = ?", .text(channelID.lowercased))
        }
        if let alertID = query.alertID {
            filter.add("alert_id = ?", .text(alertID.lowercased))
        }
        if let status = query.status {
            filter.add("status = ?", .text(status.rawValue))
        }
        if let (time, id) = query.before {
            filter.add(
                "(created_at < ? OR (created_at = ? AND id < ?))",
                .integer(Int(time.microseconds)),
                .integer(Int(time.microseconds)),
                .text(id.lowercased)
            )
        }
        let whereClause = filter.whereClause
        let sql = "SELECT \(Self.outboxColumns) FROM outbox \(whereClause) ORDER BY created_at DESC, id DESC LIMIT \(query.limit)"
        let finalBinds = filter.binds
        return try await self.pool.read { connection in
            let entries = try await connection.query(sql, finalBinds).decodeAll(table: "outbox", Self.outboxEntry(from:))
            guard !entries.isEmpty else { return [] }
            let rows = try await connection.query(
                """
                SELECT outbox_id, at, status_code, error, latency_ms FROM delivery_attempts
                WHERE outbox_id IN (\(Array(repeating: "?", count: entries.count).joined(separator: ","))) ORDER BY seq
                """,
                entries.map { .text($0.id.lowercased) }
            )
            var attempts: [String: [DeliveryAttempt]] = [:]
            for row in rows {
                let code = row.column("status_code").flatMap { $0.isNull ? nil : $0.integer }
                attempts[row.string("outbox_id") ?? "", default: []].append(
                    DeliveryAttempt(
                        at: Timestamp(microseconds: row.int64("at")),
                        statusCode: code,
                        error: row.string("error"),
                        latencyMilliseconds: Int(row.int64("latency_ms"))
                    )
                )
            }
            return entries.map { Delivery(entry: $0, attempts: attempts[$0.id.lowercased] ?? []) }
        }
    }

    public func retryDelivery(id: UUID, now: Timestamp) async throws -> OutboxEntry? {
        try await self.pool.writeTransaction { connection -> OutboxEntry? in
            let rows = try await connection.query(
                """
                UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL, updated_at = ?
                WHERE id = ? AND status != 'delivering' RETURNING \(Self.outboxColumns)
                """,
                [.integer(Int(now.microseconds)), .integer(Int(now.microseconds)), .text(id.lowercased)]
            )
            if let entry = try rows.prefix(1).decodeAll(table: "outbox", Self.outboxEntry(from:)).first { return entry }
            let exists = try await connection.query("SELECT 1 FROM outbox WHERE id = ?", [.text(id.lowercased)])
            if !exists.isEmpty { throw VigilError.deliveryInProgress }
            return nil
        }
    }

    static func outboxEntry(from row: SQLiteRow) -> OutboxEntry? {
        guard let id = row.string("id").flatMap(UUID.init(canonical:)), let channelID = row.string("channel_id").flatMap(UUID.init(canonical:)),
            let alertID = row.string("alert_id").flatMap(UUID.init(canonical:)),
            let event = row.string("event").flatMap(NotificationEvent.init(rawValue:)),
            let status = row.string("status").flatMap(OutboxEntry.Status.init(rawValue:))
        else { return nil }
        return OutboxEntry(
            id: id,
            channelID: channelID,
            alertID: alertID,
            event: event,
            payload: row.string("payload") ?? "{}",
            status: status,
            attempts: Int(row.int64("attempts")),
            nextAttemptAt: Timestamp(microseconds: row.int64("next_attempt_at")),
            lastError: row.string("last_error"),
            createdAt: Timestamp(microseconds: row.int64("created_at")),
            updatedAt: Timestamp(microseconds: row.int64("updated_at"))
        )
    }
}

extension SQLiteStore {
    /// Queues the notifications of `changes` for every enabled channel that wants them, in the
    /// caller's transaction; returns how many.
    static func queueNotifications(_ changes: [(NotificationEvent, Alert)], now: Timestamp, on connection: SQLiteConnection) async throws -> Int {
        guard !changes.isEmpty else { return 0 }
        let channels = try await Self.channels(where: "", [], on: connection)
        let entries = OutboxEntry.plan(changes, channels: channels, now: now)
        for entry in entries {
            _ = try await connection.query(
                """
                INSERT INTO outbox (id, channel_id, alert_id, event, payload, status, attempts, next_attempt_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                """,
                [
                    .text(entry.id.lowercased), .text(entry.channelID.lowercased), .text(entry.alertID.lowercased), .text(entry.event.rawValue),
                    .text(entry.payload), .text(entry.status.rawValue), .integer(Int(entry.nextAttemptAt.microseconds)),
                    .integer(Int(entry.createdAt.microseconds)), .integer(Int(entry.updatedAt.microseconds)),
                ]
            )
        }
        return entries.count
    }
}
