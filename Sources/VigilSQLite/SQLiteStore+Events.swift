import Foundation
import NIOCore
import SQLiteNIO
import VigilCore

extension SQLiteStore: EventStore {
    static let eventColumns =
        "id, type, occurred_at, received_at, severity, outcome, actor, entity_type, entity_id, source, ip, location, description, details, ingested_by"
    static let insertColumns = eventColumns + ", ip_bytes, content_hash"
    static let insertColumnCount = 17
    /// Rows per INSERT statement; keeps each statement under SQLite's limit of 32,766 bind
    /// parameters. The `EventWriter` batch limit for SQLite matches it, so a group commit is
    /// normally one statement.
    static let rowsPerInsert = 1900

    public func write(_ submissions: [[PreparedEvent]]) async throws -> [SubmissionResult] {
        let clientIDs = SubmissionPlan.clientIDs(in: submissions).map(\.lowercased)
        // Every database round trip waits for a thread wake-up, which under load costs
        // milliseconds; so the common case is one statement. Holding the write lock makes the
        // id lookup and the insert atomic with respect to every other writer of this process,
        // and a single INSERT statement commits all its rows or none.
        return try await self.pool.writeAutocommit { connection in
            let known = clientIDs.isEmpty ? [:] : try await Self.storedEvents(ids: clientIDs, on: connection).get()
            let plan = SubmissionPlan(submissions, stored: known)
            let (results, rows) = (plan.results, plan.rows)
            if rows.isEmpty { return results }
            if rows.count <= Self.rowsPerInsert {
                try await Self.insert(rows[...], on: connection).get()
                return results
            }
            // Chained as futures on the connection's event loop, not awaited one by one: each
            // await is a thread hop, the cost the single-statement path above avoids.
            try await connection.query("BEGIN IMMEDIATE", [])
                .flatMap { _ in
                    var chain = connection.eventLoop.makeSucceededVoidFuture()
                    var start = 0
                    while start < rows.count {
                        let chunk = rows[start..<min(rows.count, start + Self.rowsPerInsert)]
                        chain = chain.flatMap { Self.insert(chunk, on: connection) }
                        start += chunk.count
                    }
                    return chain
                }
                .flatMap { connection.query("COMMIT", []).map { _ in } }
                .flatMapError { error in
                    connection.query("ROLLBACK", []).flatMapThrowing { _ in throw error }.flatMapErrorThrowing { _ in throw error }
                }
                .get()
            return results
        }
    }

    static func insert(_ rows: ArraySlice<PreparedEvent>, on connection: SQLiteConnection) -> EventLoopFuture<Void> {
        let placeholders = "(" + Array(repeating: "?", count: insertColumnCount).joined(separator: ",") + ")"
        let sql = "INSERT INTO events (\(insertColumns)) VALUES " + Array(repeating: placeholders, count: rows.count).joined(separator: ",")
        var binds: [SQLiteData] = []
        binds.reserveCapacity(rows.count * insertColumnCount)
        for row in rows {
            let event = row.event
            binds += [
                .text(event.id.lowercased), .text(event.type), .integer(Int(event.occurredAt.microseconds)),
                .integer(Int(event.receivedAt.microseconds)), .integer(event.severity.rank), .text(event.outcome.rawValue),
                event.actor.sqlite, event.entityType.sqlite, event.entityID.sqlite, event.source.sqlite, event.ip.sqlite,
                event.location.sqlite, event.description.sqlite, .text(event.details), .text(event.ingestedBy),
                row.ipBytes.map { .blob(ByteBuffer(bytes: $0)) } ?? .null,
                .text(row.contentHash),
            ]
        }
        return connection.query(sql, binds).map { _ in }
    }

    /// Stored events (with their content hashes) among `ids` (lower-case), keyed by id.
    private static func storedEvents(
        ids: [String],
        on connection: SQLiteConnection
    )
        -> EventLoopFuture<[UUID: StoredEvent]>
    {
        var chain = connection.eventLoop.makeSucceededFuture([UUID: StoredEvent]())
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(ids.count, start + 500)]
            let sql =
                "SELECT \(eventColumns), content_hash FROM events WHERE id IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))"
            chain = chain.flatMap { found in
                connection.query(sql, chunk.map { .text($0) }).flatMapThrowing { rows in
                    var found = found
                    for row in rows {
                        // A stored event that does not decode fails the commit, as on PostgreSQL.
                        guard let event = Self.event(from: row), let hash = row.string("content_hash") else { throw CorruptRow(table: "events") }
                        found[event.id] = StoredEvent(event: event, contentHash: hash)
                    }
                    return found
                }
            }
            start += chunk.count
        }
        return chain
    }

    public func event(id: UUID) async throws -> Event? {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.eventColumns) FROM events WHERE id = ?", [.text(id.lowercased)])
                .prefix(1).decodeAll(table: "events", Self.event(from:)).first
        }
    }

    public func events(matching query: EventQuery) async throws -> EventPage {
        if !query.textTerms.isEmpty {
            return EventPage(fetched: try await self.wordSearch(query), for: query)
        }
        let (whereClause, binds) = Self.whereClause(for: query)
        let direction = query.order == .desc ? "DESC" : "ASC"
        let sql = """
            SELECT \(Self.eventColumns) FROM events \(whereClause)
            ORDER BY occurred_at \(direction), id \(direction) LIMIT \(query.limit + 1)
            """
        let rows = try await self.pool.read(heavy: true) { try await $0.query(sql, binds) }
        return EventPage(fetched: try rows.decodeAll(table: "events", Self.event(from:)), for: query)
    }

    static func event(from row: SQLiteRow) -> Event? {
        guard let idText = row.string("id"), let id = UUID(canonical: idText), let type = row.string("type"),
            let severity = Severity(rank: Int(row.int64("severity"))),
            let outcome = Outcome(rawValue: row.string("outcome") ?? ""), let ingestedBy = row.string("ingested_by")
        else { return nil }
        return Event(
            id: id,
            type: type,
            occurredAt: Timestamp(microseconds: row.int64("occurred_at")),
            receivedAt: Timestamp(microseconds: row.int64("received_at")),
            severity: severity,
            outcome: outcome,
            actor: row.string("actor"),
            entityType: row.string("entity_type"),
            entityID: row.string("entity_id"),
            source: row.string("source"),
            ip: row.string("ip"),
            location: row.string("location"),
            description: row.string("description"),
            details: row.string("details") ?? "{}",
            ingestedBy: ingestedBy
        )
    }
}
