import SQLiteNIO
import VigilCore

extension SQLiteStore: EventLogReader {
    /// One writer commits at a time and `seq` grows with every insert, so `seq` order is commit
    /// order: a reader that resumes after the highest `seq` it saw misses nothing.
    public func committedEvents(after position: LogPosition?, limit: Int) async throws -> LogBatch {
        var after: Int64 = 0
        if let position {
            guard position.token.hasPrefix("s:"), let value = Int64(position.token.dropFirst(2)) else {
                throw VigilError.validation([FieldError(field: "position", message: "is not a SQLite log position")])
            }
            after = value
        }
        let binds: [SQLiteData] = [.integer(Int(after)), .integer(limit)]
        let rows = try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.eventColumns), seq FROM events WHERE seq > ? ORDER BY seq LIMIT ?", binds)
        }
        let events = rows.compactMap(Self.event(from:))
        let last = rows.last.map { $0.int64("seq") }
        return LogBatch(events: events, position: last.map { LogPosition(token: "s:\($0)") } ?? position)
    }
}
