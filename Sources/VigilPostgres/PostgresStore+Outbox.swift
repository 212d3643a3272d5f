import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: OutboxStore {
    static let outboxColumns = "id, channel_id, alert_id, event, payload, status, attempts, next_attempt_at, last_error, created_at, updated_at"

    /// One statement (one round trip — the claim runs every second on every node and after
    /// every attempt): ready paced channels are held until the lease ends and take up to
    /// `batchLimit` due rows each; other due rows fill the remaining slots. `FOR UPDATE SKIP
    /// LOCKED` on channels and rows: nodes claiming at once take disjoint ones without waiting.
    public func claimDeliveries(node: String, now: Timestamp, leaseUntil: Timestamp, limit: Int, batchLimit: Int) async throws -> [OutboxEntry] {
        try await self.bounded {
            try await self.decodeOutbox(
                self.client.query(
                    """
                    WITH ready AS (
                        UPDATE channels SET next_send_at = \(leaseUntil) WHERE id IN (
                            SELECT id FROM channels c WHERE pace_ms > 0 AND next_send_at <= \(now)
                              AND EXISTS (SELECT 1 FROM outbox o WHERE o.channel_id = c.id AND o.status IN ('pending', 'delivering')
                                  AND o.next_attempt_at <= \(now) AND (o.status = 'pending' OR o.lease_expires_at < \(now)))
                            ORDER BY next_send_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                        RETURNING id),
                    paced AS (
                        SELECT id FROM (
                            SELECT o.id, row_number() OVER (PARTITION BY o.channel_id ORDER BY o.created_at, o.id) AS n
                            FROM outbox o JOIN ready r ON r.id = o.channel_id
                            WHERE o.status IN ('pending', 'delivering') AND o.next_attempt_at <= \(now)
                              AND (o.status = 'pending' OR o.lease_expires_at < \(now))) numbered
                        WHERE n <= \(batchLimit)),
                    single AS (
                        SELECT id FROM outbox
                        WHERE status IN ('pending', 'delivering') AND next_attempt_at <= \(now)
                          AND (status = 'pending' OR lease_expires_at < \(now))
                          AND channel_id NOT IN (SELECT id FROM channels WHERE pace_ms > 0)
                        ORDER BY next_attempt_at LIMIT greatest(\(limit) - (SELECT count(*) FROM ready), 0)
                        FOR UPDATE SKIP LOCKED)
                    UPDATE outbox SET status = 'delivering', lease_owner = \(node), lease_expires_at = \(leaseUntil),
                        attempts = attempts + 1, updated_at = \(now)
                    WHERE id IN (SELECT id FROM paced UNION ALL SELECT id FROM single)
                    RETURNING \(unescaped: Self.outboxColumns)
                    """,
                    logger: self.logger
                )
            )
        }
    }

    public func recordAttempt(
        _ attempt: DeliveryAttempt,
        outcomes: [(id: UUID, outcome: DeliveryOutcome)],
        node: String,
        channelReadyAt: (channelID: UUID, at: Timestamp)?
    ) async throws -> Set<UUID> {
        guard !outcomes.isEmpty else { return [] }
        let ids = outcomes.map(\.id)
        let statuses = outcomes.map(\.outcome.status.rawValue)
        let nextAttempts = outcomes.map { $0.outcome.nextAttemptAt ?? attempt.at }
        let keepsNext = outcomes.map { $0.outcome.nextAttemptAt == nil }
        return try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                let recorded = try await connection.query(
                    """
                    UPDATE outbox o SET status = u.status, next_attempt_at = CASE WHEN u.keep THEN o.next_attempt_at ELSE u.next END,
                        lease_owner = NULL, lease_expires_at = NULL, last_error = \(attempt.error), updated_at = \(attempt.at)
                    FROM unnest(\(ids)::uuid[], \(statuses)::text[], \(nextAttempts)::timestamptz[], \(keepsNext)::bool[])
                        AS u(id, status, next, keep)
                    WHERE o.id = u.id AND o.status = 'delivering' AND o.lease_owner = \(node)
                    RETURNING o.id
                    """,
                    logger: self.logger
                ).collect().map { try $0.decode(UUID.self) }
                guard !recorded.isEmpty else { return [] }
                try await connection.query(
                    """
                    INSERT INTO delivery_attempts (outbox_id, at, status_code, error, latency_ms)
                    SELECT id, \(attempt.at), \(attempt.statusCode), \(attempt.error), \(attempt.latencyMilliseconds)
                    FROM unnest(\(recorded)::uuid[]) AS r(id)
                    """,
                    logger: self.logger
                )
                // A node that lost its leases lost the channel too: the new holder paces it.
                if let (channel, at) = channelReadyAt {
                    try await connection.query("UPDATE channels SET next_send_at = \(at) WHERE id = \(channel)", logger: self.logger)
                }
                return Set(recorded)
            }
        }
    }

    public func deliveries(matching query: DeliveryQuery) async throws -> [Delivery] {
        var bind = BindList()
        var conditions: [String] = []
        if let channelID = query.channelID { conditions.append("channel_id = \(bind(channelID))") }
        if let alertID = query.alertID { conditions.append("alert_id = \(bind(alertID))") }
        if let status = query.status { conditions.append("status = \(bind(status.rawValue))") }
        if let (time, id) = query.before { conditions.append("(created_at, id) < (\(bind(time)), \(bind(id)))") }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let statement = PostgresQuery(
            unsafeSQL: "SELECT \(Self.outboxColumns) FROM outbox \(whereClause) ORDER BY created_at DESC, id DESC LIMIT \(query.limit)",
            binds: try bind.checked()
        )
        return try await self.bounded {
            try await self.client.withConnection { connection in
                let entries = try await self.decodeOutbox(connection.query(statement, logger: self.logger))
                guard !entries.isEmpty else { return [] }
                var attempts: [UUID: [DeliveryAttempt]] = [:]
                let rows = try await connection.query(
                    """
                    SELECT outbox_id, at, status_code, error, latency_ms FROM delivery_attempts
                    WHERE outbox_id = ANY(\(entries.map(\.id))) ORDER BY n
                    """,
                    logger: self.logger
                )
                for try await (outboxID, at, code, error, latency) in rows.decode((UUID, Timestamp, Int32?, String?, Int32).self) {
                    attempts[outboxID, default: []].append(
                        DeliveryAttempt(at: at, statusCode: code.map(Int.init), error: error, latencyMilliseconds: Int(latency))
                    )
                }
                return entries.map { Delivery(entry: $0, attempts: attempts[$0.id] ?? []) }
            }
        }
    }

    public func retryDelivery(id: UUID, now: Timestamp) async throws -> OutboxEntry? {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection -> OutboxEntry? in
                let current = try await self.decodeOutbox(
                    connection.query("SELECT \(unescaped: Self.outboxColumns) FROM outbox WHERE id = \(id) FOR UPDATE", logger: self.logger)
                ).first
                guard let current else { return nil }
                guard current.status != .delivering else { throw VigilError.deliveryInProgress }
                return try await self.decodeOutbox(
                    connection.query(
                        """
                        UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = \(now), last_error = NULL, updated_at = \(now)
                        WHERE id = \(id) RETURNING \(unescaped: Self.outboxColumns)
                        """,
                        logger: self.logger
                    )
                ).first
            }
        }
    }

    private func decodeOutbox(_ rows: PostgresRowSequence) async throws -> [OutboxEntry] {
        var entries: [OutboxEntry] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            guard let event = NotificationEvent(rawValue: try cells[3].decode(String.self)),
                let status = OutboxEntry.Status(rawValue: try cells[5].decode(String.self))
            else { throw CorruptRow(table: "outbox") }
            entries.append(
                OutboxEntry(
                    id: try cells[0].decode(UUID.self),
                    channelID: try cells[1].decode(UUID.self),
                    alertID: try cells[2].decode(UUID.self),
                    event: event,
                    payload: try cells[4].decode(String.self),
                    status: status,
                    attempts: Int(try cells[6].decode(Int32.self)),
                    nextAttemptAt: try cells[7].decode(Timestamp.self),
                    lastError: try cells[8].decode(String?.self),
                    createdAt: try cells[9].decode(Timestamp.self),
                    updatedAt: try cells[10].decode(Timestamp.self)
                )
            )
        }
        return entries
    }
}

extension PostgresStore {
    /// Queues the notifications of `changes` for every enabled channel that wants them, in the
    /// caller's transaction (one statement); returns how many.
    func queueNotifications(_ changes: [(NotificationEvent, Alert)], now: Timestamp, on connection: PostgresConnection) async throws -> Int {
        guard !changes.isEmpty else { return 0 }
        let entries = OutboxEntry.plan(changes, channels: try await self.channels(on: connection), now: now)
        guard !entries.isEmpty else { return 0 }
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO outbox (id, channel_id, alert_id, event, payload, status, attempts, next_attempt_at, created_at, updated_at)
                    SELECT id, channel_id, alert_id, event, payload, 'pending', 0, $6, $6, $6
                    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[]) AS u(id, channel_id, alert_id, event, payload)
                    """,
                binds: try Self.bindings(
                    entries.map(\.id),
                    entries.map(\.channelID),
                    entries.map(\.alertID),
                    entries.map(\.event.rawValue),
                    entries.map(\.payload),
                    now
                )
            ),
            logger: self.logger
        )
        return entries.count
    }
}
