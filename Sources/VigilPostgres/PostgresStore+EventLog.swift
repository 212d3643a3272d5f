import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: EventLogReader {
    /// Log order is (writing transaction id, event id). Transaction ids are taken when a
    /// transaction starts, not when it commits, so "after the highest seen" alone would skip a
    /// transaction that started earlier and committed later (on another connection or node).
    /// Reading only rows whose transaction is older than the snapshot's xmin — the oldest
    /// transaction still running — returns only transactions that can no longer change; a
    /// late committer is still running, hence at or above xmin, hence read later. A very long
    /// transaction delays followers; it never makes them skip.
    public func committedEvents(after position: LogPosition?, limit: Int) async throws -> LogBatch {
        var afterTx = "0"
        var afterID = UUID(uuid: UUID.lowestBytes)
        if let position {
            let parts = position.token.split(separator: ":")
            guard parts.count == 3, parts[0] == "x", UInt64(parts[1]) != nil, let id = UUID(canonical: String(parts[2])) else {
                throw VigilError.validation([FieldError(field: "position", message: "is not a PostgreSQL log position")])
            }
            afterTx = String(parts[1])
            afterID = id
        }
        let sql = """
            SELECT \(Self.eventColumns), tx::text FROM events
            WHERE tx < pg_snapshot_xmin(pg_current_snapshot()) AND (tx, id) > ($1::text::xid8, $2)
            ORDER BY tx, id LIMIT \(limit)
            """
        let binds = Self.bindings(afterTx, afterID)
        return try await self.bounded {
            var events: [Event] = []
            var last: String?
            let rows = try await self.client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger)
            for try await row in rows {
                let event = try Self.event(from: row)
                events.append(event)
                last = "x:\(try row.makeRandomAccess()[15].decode(String.self)):\(event.id.lowercased)"
            }
            return LogBatch(events: events, position: last.map(LogPosition.init(token:)) ?? position)
        }
    }
}
