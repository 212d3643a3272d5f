import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: EventStore {
    static let eventColumns =
        "id, type, occurred_at, received_at, severity, outcome, actor, entity_type, entity_id, source, ip, location, description, details, ingested_by"
    static let insertColumns = eventColumns + ", ip_bytes, content_hash"
    static let insertColumnCount = 17
    /// Rows per INSERT statement; keeps each statement under SQLite's bind-parameter limit.
    static let rowsPerInsert = 500

    public func write(_ submissions: [[PreparedEvent]]) async throws -> [SubmissionResult] {
        try await self.pool.write { connection in
            let clientIDs = Set(submissions.joined().filter(\.hasClientID).map { $0.event.id.lowercased })
            var known = try await Self.storedEvents(ids: Array(clientIDs), on: connection)
            var results: [SubmissionResult] = []
            var rows: [PreparedEvent] = []
            for submission in submissions {
                var outcomes: [ItemOutcome] = []
                var conflicts: [Int] = []
                var added: [String: (hash: String, event: Event)] = [:]
                var created: [PreparedEvent] = []
                for (index, item) in submission.enumerated() {
                    let key = item.event.id.lowercased
                    if let stored = added[key] ?? known[key] {
                        if stored.hash == item.contentHash {
                            outcomes.append(.duplicate(stored.event))
                        } else {
                            conflicts.append(index)
                        }
                    } else {
                        added[key] = (item.contentHash, item.event)
                        created.append(item)
                        outcomes.append(.created(item.event))
                    }
                }
                if conflicts.isEmpty {
                    known.merge(added) { old, _ in old }
                    rows += created
                    results.append(.committed(outcomes))
                } else {
                    results.append(.conflict(conflicts))
                }
            }
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(rows.count, start + Self.rowsPerInsert)]
                try await Self.insert(chunk, on: connection)
                start += chunk.count
            }
            return results
        }
    }

    private static func insert(_ rows: ArraySlice<PreparedEvent>, on connection: SQLiteConnection) async throws {
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
                event.ip.flatMap(IPAddress.init).map { .blob(ByteBuffer(bytes: $0.bytes)) } ?? .null,
                .text(row.contentHash),
            ]
        }
        _ = try await connection.query(sql, binds)
    }

    /// Stored events (with their content hashes) among `ids`, keyed by lower-case id.
    private static func storedEvents(
        ids: [String],
        on connection: SQLiteConnection
    ) async throws
        -> [String: (hash: String, event: Event)]
    {
        var found: [String: (hash: String, event: Event)] = [:]
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(ids.count, start + 500)]
            let sql =
                "SELECT \(eventColumns), content_hash FROM events WHERE id IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))"
            for row in try await connection.query(sql, chunk.map { .text($0) }) {
                if let event = Self.event(from: row), let hash = row.string("content_hash") {
                    found[event.id.lowercased] = (hash, event)
                }
            }
            start += chunk.count
        }
        return found
    }

    public func event(id: UUID) async throws -> Event? {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.eventColumns) FROM events WHERE id = ?", [.text(id.lowercased)])
                .first.flatMap(Self.event(from:))
        }
    }

    public func events(matching query: EventQuery) async throws -> EventPage {
        let (whereClause, binds) = Self.whereClause(for: query)
        let direction = query.order == .desc ? "DESC" : "ASC"
        let sql = """
            SELECT \(Self.eventColumns) FROM events \(whereClause)
            ORDER BY occurred_at \(direction), id \(direction) LIMIT \(query.limit + 1)
            """
        let rows = try await self.pool.read { try await $0.query(sql, binds) }
        var items = rows.compactMap(Self.event(from:))
        var next: EventCursor?
        if items.count > query.limit {
            items.removeLast(items.count - query.limit)
            if let last = items.last {
                next = EventCursor(occurredAt: last.occurredAt, id: last.id, order: query.order)
            }
        }
        return EventPage(items: items, nextCursor: next)
    }

    static func event(from row: SQLiteRow) -> Event? {
        guard let idText = row.string("id"), let id = UUID(uuidString: idText), let type = row.string("type"),
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
