import SQLiteNIO
import VigilCore

extension SQLiteStore {
    /// Events per multi-row insert into `event_words` (two binds each, far below SQLite's 32,766).
    static let wordRowsPerStatement = 4000

    /// Adds the words of up to `limit` events after the word index's position to `event_words`
    /// and moves the position past them, in one write transaction: a crash or an error leaves
    /// either the whole step or none of it. Returns how many events it took in (0: current).
    ///
    /// Throws `WordIndexFull` at an event whose seq needs more than 32 bits (4.29 billion
    /// events): the index stops there, and search stays exact by matching the rest row by row.
    public func indexWords(limit: Int) async throws -> Int {
        try await self.pool.writeTransaction { connection in
            let after = try await Self.wordIndexPosition(on: connection)
            let rows = try await connection.query(
                "SELECT seq, occurred_at, \(TextSearch.fields.joined(separator: ", ")) FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                [.integer(Int(after)), .integer(limit)]
            )
            guard let last = rows.last?.int64("seq") else { return 0 }
            let documents = try Self.wordDocuments(rows)
            var start = documents.startIndex
            while start < documents.endIndex {
                let chunk = documents[start..<min(start + Self.wordRowsPerStatement, documents.endIndex)]
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * 2)
                for document in chunk { binds += [.integer(Int(document.rowid)), .text(document.words)] }
                _ = try await connection.query(
                    "INSERT INTO event_words (rowid, words) VALUES \(Array(repeating: "(?,?)", count: chunk.count).joined(separator: ","))",
                    binds
                )
                start = chunk.endIndex
            }
            _ = try await connection.query("UPDATE rollup_state SET position = ? WHERE name = 'words'", [.integer(Int(last))])
            return rows.count
        }
    }

    /// The last seq the word index holds, read on `connection` (inside the caller's transaction).
    static func wordIndexPosition(on connection: SQLiteConnection) async throws -> Int64 {
        let state = try await connection.query("SELECT position FROM rollup_state WHERE name = 'words'")
        guard let position = state.first?.int64("position") else { throw CorruptRow(table: "rollup_state") }
        return position
    }

    /// Where the word index stands: the last seq it holds, and the newest seq of the log.
    public func wordIndexProgress() async throws -> (indexed: Int64, newest: Int64) {
        try await self.pool.read { connection in
            let rows = try await connection.query(
                "SELECT (SELECT position FROM rollup_state WHERE name = 'words') AS indexed, (SELECT coalesce(max(seq), 0) FROM events) AS newest"
            )
            return (rows.first?.int64("indexed") ?? 0, rows.first?.int64("newest") ?? 0)
        }
    }

    /// Each event's rowid and its distinct words as `ascii` tokens, space-separated; events
    /// without words are left out.
    static func wordDocuments(_ rows: [SQLiteRow]) throws -> [(rowid: Int64, words: String)] {
        var documents: [(rowid: Int64, words: String)] = []
        documents.reserveCapacity(rows.count)
        var seen = Set<String>()
        for row in rows {
            let seq = row.int64("seq")
            guard let rowid = WordRowid.rowid(seq: seq, occurredAt: row.int64("occurred_at")) else { throw WordIndexFull(seq: seq) }
            let fields = TextSearch.fields.map { row.string($0) }
            seen.removeAll(keepingCapacity: true)
            var words: [String] = []
            for word in TextSearch.words(in: fields) where seen.insert(word).inserted { words.append(WordRowid.token(word)) }
            if !words.isEmpty { documents.append((rowid, words.joined(separator: " "))) }
        }
        return documents
    }
}
