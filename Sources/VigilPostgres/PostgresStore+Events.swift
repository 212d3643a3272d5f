import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: EventStore {
    static let copyColumns = [
        "id", "type", "occurred_at", "received_at", "severity", "outcome", "actor", "entity_type", "entity_id", "source", "ip",
        "location", "description", "details", "ingested_by", "content_hash", "facets", "search",
    ]
    /// What every read selects, in the order `event(from:)` decodes.
    static let eventColumns =
        "id, type, occurred_at, received_at, severity, outcome, actor, entity_type, entity_id, source, host(ip), location, description, details::text, ingested_by"
    /// Events per group commit; COPY has no parameter limit, this bounds one transaction's size.
    static let eventsPerCopy = 5000
    /// Group commits worth running at once (the writer's `maxConcurrentCommits`): measured on 2 cores, 500-event
    /// batches: 1 → 18,200, 2 → 28,300, 4 → 23,700 events/s (docs/benchmarks.md).
    static let maxConcurrentCommits = 2

    /// Client-supplied ids are claimed in `event_client_ids` (a partitioned table cannot hold a
    /// unique index on `id` alone). A concurrent writer — another node — holding the same id
    /// makes the claim wait for its commit and then miss; the transaction is rolled back and
    /// retried, and the retry sees the committed row as a duplicate or conflict.
    public func write(_ submissions: [[PreparedEvent]]) async throws -> [SubmissionResult] {
        let clientIDs = SubmissionPlan.clientIDs(in: submissions)
        if clientIDs.isEmpty {
            // The common case: server-assigned ids cannot collide, so one COPY (atomic on its own).
            let rows = Array(submissions.joined())
            try await self.bounded {
                try await self.client.withConnection { connection in try await self.copy(rows, on: connection) }
            }
            return submissions.map { .committed($0.map { .created($0.event) }) }
        }
        for _ in 0..<3 {
            let results = try await self.bounded { () -> [SubmissionResult]? in
                try await self.client.withConnection { connection in
                    do {
                        return try await connection.withTransaction(logger: self.logger) { connection in
                            let stored = try await self.storedEvents(ids: clientIDs, on: connection)
                            let plan = SubmissionPlan(submissions, stored: stored)
                            let claims = plan.rows.filter(\.hasClientID).map(\.event.id)
                            if !claims.isEmpty {
                                let claimed = try await connection.query(
                                    "INSERT INTO event_client_ids (id) SELECT unnest(\(claims)::uuid[]) ON CONFLICT DO NOTHING RETURNING id",
                                    logger: self.logger
                                ).collect().count
                                if claimed != claims.count { throw ClaimRace() }
                            }
                            if !plan.rows.isEmpty { try await self.copy(plan.rows, on: connection) }
                            return plan.results
                        }
                    } catch let error as PostgresTransactionError where error.closureError is ClaimRace {
                        return nil
                    }
                }
            }
            if let results { return results }
        }
        throw VigilError.unavailable(retryAfter: PostgresFailure.retryAfterSeconds)
    }

    private struct ClaimRace: Error {}

    func copy(_ rows: [PreparedEvent], on connection: PostgresConnection) async throws {
        var encoder = CopyTextEncoder(capacity: rows.count * 320)
        for row in rows { encoder.row(row) }
        let buffer = encoder.buffer
        try await connection.copyFrom(table: "events", columns: Self.copyColumns, logger: self.logger) { writer in
            try await writer.write(buffer)
        }
    }

    private func storedEvents(ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: StoredEvent] {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.eventColumns), content_hash FROM events WHERE id = ANY(\(ids)::uuid[])",
            logger: self.logger
        )
        var found: [UUID: StoredEvent] = [:]
        for try await row in rows {
            let event = try Self.event(from: row)
            found[event.id] = StoredEvent(event: event, contentHash: try row.makeRandomAccess()[15].decode(String.self))
        }
        return found
    }

    public func event(id: UUID) async throws -> Event? {
        try await self.bounded {
            let rows = try await self.client.query(
                "SELECT \(unescaped: Self.eventColumns) FROM events WHERE id = \(id)",
                logger: self.logger
            )
            for try await row in rows { return try Self.event(from: row) }
            return nil
        }
    }

    public func events(matching query: EventQuery) async throws -> EventPage {
        let rows = try await self.bounded {
            try await self.client.withConnection { connection in
                try await self.search(query, on: connection)
            }
        }
        return EventPage(fetched: rows, for: query)
    }

    /// Bindings of `values` in order; throws if any cannot be encoded (see `BindList`).
    static func bindings(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { try bindings.append(value, context: .default) }
        return bindings
    }

    static func event(from row: PostgresRow) throws -> Event {
        var cells = row.makeIterator()
        return try Self.event(from: &cells)
    }

    /// The event in the next cells, the columns of `eventColumns`; `cells` continues after them.
    static func event(from cells: inout PostgresRow.Iterator) throws -> Event {
        // Cell by cell with concrete types: decoding the row as one tuple instantiated generic
        // metadata per row, a quarter of the sealer's CPU on PostgreSQL.
        func next<Value: PostgresDecodable>(_: Value.Type) throws -> Value {
            guard let cell = cells.next() else { throw CorruptRow(table: "events") }
            return try cell.decode(Value.self)
        }
        let id = try next(UUID.self)
        let type = try next(String.self)
        let occurredAt = try next(Timestamp.self)
        let receivedAt = try next(Timestamp.self)
        let severityRank = try next(Int16.self)
        let outcomeText = try next(String.self)
        let actor = try next(String?.self)
        let entityType = try next(String?.self)
        let entityID = try next(String?.self)
        let source = try next(String?.self)
        let ip = try next(String?.self)
        let location = try next(String?.self)
        let description = try next(String?.self)
        let details = try next(String.self)
        let ingestedBy = try next(String.self)
        guard let severity = Severity(rank: Int(severityRank)), let outcome = Outcome(rawValue: outcomeText) else {
            throw CorruptRow(table: "events")
        }
        return Event(
            id: id,
            type: type,
            occurredAt: occurredAt,
            receivedAt: receivedAt,
            severity: severity,
            outcome: outcome,
            actor: actor,
            entityType: entityType,
            entityID: entityID,
            source: source,
            ip: ip,
            location: location,
            description: description,
            details: details,
            ingestedBy: ingestedBy
        )
    }
}
