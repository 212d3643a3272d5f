import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: EventLogReader {
    /// Log order is (writing transaction id, event id). Transaction ids are taken when a
    /// transaction starts, not when it commits, so "after the highest seen" alone would skip a
    /// transaction that started earlier and committed later (on another connection or node).
    /// Reading only rows whose transaction is older than the log's horizon — the oldest
    /// transaction still running in this database (`PostgresLogHorizon`) — returns only
    /// transactions that can no longer change; a late committer is still running, hence at or
    /// above the horizon, hence read later. A very long transaction in this database delays
    /// followers; it never makes them skip. Transactions in other databases delay nothing.
    ///
    /// The position's transaction id is selected as `log_tx`: were it named `tx`, `ORDER BY tx`
    /// would bind to that text output column and sort "10003" before "9998" — skipping or
    /// re-reading events wherever a page crossed a power of ten, and sorting every row after
    /// the position on each read instead of walking the `(tx, id)` index.
    public func committedEvents(in range: LogRange, limit: Int) async throws -> LogBatch {
        let after = try Self.logKey(range.after) ?? ("0", UUID(uuid: UUID.lowestBytes))
        let through = try Self.logKey(range.through)
        return try await self.bounded {
            // Below the snapshot's xmin every transaction of the cluster has ended: one cheap
            // statement, enough when it fills the batch or nothing lies beyond what it read.
            var batch = try await self.readLog(range, after: after, through: through, below: nil, limit: limit)
            let last = batch.last ?? after
            if batch.events.count < limit, try await self.logHasRows(after: last, through: through) {
                // Something holds the xmin back: read on up to this database's horizon.
                let horizon = try await PostgresLogHorizon.read(on: self.client, logger: self.logger)
                let more = try await self.readLog(range, after: last, through: through, below: horizon, limit: limit - batch.events.count)
                batch.events += more.events
                batch.positions += more.positions
            }
            return LogBatch(events: batch.events, position: batch.positions.last ?? range.after, positions: batch.positions)
        }
    }

    /// Events after `after` (through `through`, in `range`'s time bounds) whose transaction is
    /// below `below` (`xid8` text; nil: the snapshot's xmin), in log order, with their positions
    /// and the last one's key.
    private func readLog(
        _ range: LogRange,
        after: (tx: String, id: UUID),
        through: (tx: String, id: UUID)?,
        below: String?,
        limit: Int
    ) async throws -> (events: [Event], positions: [LogPosition], last: (tx: String, id: UUID)?) {
        var bind = BindList()
        var conditions = ["tx < \(below.map { "\(bind($0))::text::xid8" } ?? "pg_snapshot_xmin(pg_current_snapshot())")"]
        conditions += Self.keyConditions(after: after, through: through, &bind)
        if let from = range.occurredFrom { conditions.append("occurred_at >= \(bind(from))") }
        if let to = range.occurredTo { conditions.append("occurred_at < \(bind(to))") }
        let sql = """
            SELECT \(Self.eventColumns), tx::text AS log_tx FROM events
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY events.tx, events.id LIMIT \(limit)
            """
        var events: [Event] = []
        var positions: [LogPosition] = []
        var last: (tx: String, id: UUID)?
        let rows = try await self.client.query(PostgresQuery(unsafeSQL: sql, binds: try bind.checked()), logger: self.logger)
        for try await row in rows {
            var cells = row.makeIterator()
            let event = try Self.event(from: &cells)
            guard let cell = cells.next() else { throw CorruptRow(table: "events") }
            let tx = try cell.decode(String.self)
            positions.append(LogPosition(token: "x:\(tx):\(event.id.lowercased)"))
            events.append(event)
            last = (tx, event.id)
        }
        return (events, positions, last)
    }

    /// Whether any committed event lies after `after` (through `through`), whatever its
    /// transaction: one probe of each partition's `(tx, id)` index.
    ///
    /// Written as `EXISTS`, the planner expected a third of the table to lie after any
    /// position (it cannot estimate a row comparison) and chose a sequential scan that stops at
    /// the first match — at the end of the log, that is every row: 58 ms at 131,000 events,
    /// on every read short of its limit, so on every alert at idle. Ordered by the index with
    /// `LIMIT 1`, it is a merge of one index probe per partition (0.13 ms).
    private func logHasRows(after: (tx: String, id: UUID), through: (tx: String, id: UUID)?) async throws -> Bool {
        var bind = BindList()
        let conditions = Self.keyConditions(after: after, through: through, &bind)
        let sql = "SELECT 1 FROM events WHERE \(conditions.joined(separator: " AND ")) ORDER BY events.tx, events.id LIMIT 1"
        let rows = try await self.client.query(PostgresQuery(unsafeSQL: sql, binds: try bind.checked()), logger: self.logger)
        var found = false
        for try await _ in rows { found = true }
        return found
    }

    /// The log-order range after `after` and through `through`, bound into `bind`.
    private static func keyConditions(after: (tx: String, id: UUID), through: (tx: String, id: UUID)?, _ bind: inout BindList) -> [String] {
        var conditions = ["(tx, id) > (\(bind(after.tx))::text::xid8, \(bind(after.id)))"]
        if let through { conditions.append("(tx, id) <= (\(bind(through.tx))::text::xid8, \(bind(through.id)))") }
        return conditions
    }

    /// The (transaction id, event id) a position token names.
    private static func logKey(_ position: LogPosition?) throws -> (tx: String, id: UUID)? {
        guard let position else { return nil }
        let parts = position.token.split(separator: ":")
        guard parts.count == 3, parts[0] == "x", UInt64(parts[1]) != nil, let id = UUID(canonical: String(parts[2])) else {
            throw VigilError.validation([FieldError(field: "position", message: "is not a PostgreSQL log position")])
        }
        return (String(parts[1]), id)
    }
}
