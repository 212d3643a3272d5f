import SQLiteNIO
import VigilCore

extension SQLiteStore: EventLogReader {
    /// One writer commits at a time and `seq` grows with every insert, so `seq` order is commit
    /// order: a reader that resumes after the highest `seq` it saw misses nothing.
    public func committedEvents(in range: LogRange, limit: Int) async throws -> LogBatch {
        // From the start, no lower bound: a row written with seq ≤ 0 (never by Vigil) is still
        // read, so a verifier sees it.
        var filter = SQLiteFilter("seq IS NOT NULL")
        if let after = try Self.sequence(range.after) { filter = SQLiteFilter("seq > ?", .integer(Int(after))) }
        if let through = try Self.sequence(range.through) {
            filter.add("seq <= ?", .integer(Int(through)))
        }
        if let from = range.occurredFrom {
            filter.add("occurred_at >= ?", .integer(Int(from.microseconds)))
        }
        if let to = range.occurredTo {
            filter.add("occurred_at < ?", .integer(Int(to.microseconds)))
        }
        let sql = "SELECT \(Self.eventColumns), seq FROM events \(filter.whereClause) ORDER BY seq LIMIT ?"
        let finalBinds = filter.binds + [.integer(limit)]
        let rows = try await self.pool.read { try await $0.query(sql, finalBinds) }
        let events = try rows.decodeAll(table: "events", Self.event(from:))
        let positions = rows.map { LogPosition(token: "s:\($0.int64("seq"))") }
        return LogBatch(events: events, position: positions.last ?? range.after, positions: positions)
    }

    private static func sequence(_ position: LogPosition?) throws -> Int64? {
        guard let position else { return nil }
        guard position.token.hasPrefix("s:"), let value = Int64(position.token.dropFirst(2)) else {
            throw VigilError.validation([FieldError(field: "position", message: "is not a SQLite log position")])
        }
        return value
    }
}
