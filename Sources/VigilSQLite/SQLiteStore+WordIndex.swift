import SQLiteNIO
import VigilCore

extension SQLiteStore {
    /// Rows per multi-row upsert (four binds each, far below SQLite's 32,766).
    static let wordRowsPerStatement = 2000

    /// Adds the words of up to `limit` events after the word index's position to `event_words`
    /// and moves the position past them, in one write transaction: a crash leaves either the
    /// whole step or none of it. Returns how many events it indexed (0: the index is current).
    ///
    /// Each (word, hour, epoch) of the step becomes one upsert row whose postings are appended
    /// to any the row already holds; steps follow seq order, so a row's postings stay sorted.
    public func indexWords(limit: Int) async throws -> Int {
        try await self.pool.writeTransaction { connection in
            let state = try await connection.query("SELECT position FROM rollup_state WHERE name = 'words'")
            guard let after = state.first?.int64("position") else { throw CorruptRow(table: "rollup_state") }
            let rows = try await connection.query(
                """
                SELECT seq, occurred_at, type, actor, entity_type, entity_id, source, location, description
                FROM events WHERE seq > ? ORDER BY seq LIMIT ?
                """,
                [.integer(Int(after)), .integer(limit)]
            )
            guard let last = rows.last?.int64("seq") else { return 0 }
            let groups = Self.wordGroups(rows)
            var start = groups.startIndex
            while start < groups.endIndex {
                let chunk = groups[start..<min(start + Self.wordRowsPerStatement, groups.endIndex)]
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * 4)
                for (key, bytes) in chunk {
                    binds += [.text(key.word), .integer(Int(key.hour)), .integer(Int(key.epoch)), .blob(ByteBuffer(bytes: bytes))]
                }
                // `||` concatenates the bytes (NULs included) but types the result TEXT: CAST
                // gives it back as the BLOB the reader expects.
                _ = try await connection.query(
                    """
                    INSERT INTO event_words (word, hour, epoch, postings) VALUES \(Array(repeating: "(?,?,?,?)", count: chunk.count).joined(separator: ","))
                    ON CONFLICT (word, hour, epoch) DO UPDATE SET postings = CAST(postings || excluded.postings AS BLOB)
                    """,
                    binds
                )
                start = chunk.endIndex
            }
            _ = try await connection.query("UPDATE rollup_state SET position = ? WHERE name = 'words'", [.integer(Int(last))])
            return rows.count
        }
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

    struct WordKey: Hashable, Comparable {
        var word: String
        var hour: Int64
        var epoch: Int64

        static func < (lhs: WordKey, rhs: WordKey) -> Bool {
            (lhs.word, lhs.hour, lhs.epoch) < (rhs.word, rhs.hour, rhs.epoch)
        }
    }

    /// The encoded postings of `rows` (in seq order) per key, in key order (so the upserts walk
    /// the primary key forward). Each event counts once per word however often it repeats it.
    static func wordGroups(_ rows: [SQLiteRow]) -> [(key: WordKey, bytes: [UInt8])] {
        var groups: [WordKey: [UInt8]] = [:]
        var seen = Set<String>()
        for row in rows {
            let posting = WordPostings.Posting(seq: row.int64("seq"), occurredAt: row.int64("occurred_at"))
            let hour = WordPostings.hour(of: posting.occurredAt)
            let epoch = WordPostings.epoch(of: posting.seq)
            let fields = ["type", "actor", "entity_type", "entity_id", "source", "location", "description"].map { row.string($0) }
            seen.removeAll(keepingCapacity: true)
            for word in TextSearch.words(in: fields) where seen.insert(word).inserted {
                WordPostings.append(posting, hour: hour, epoch: epoch, to: &groups[WordKey(word: word, hour: hour, epoch: epoch), default: []])
            }
        }
        return groups.sorted { $0.key < $1.key }.map { (key: $0.key, bytes: $0.value) }
    }
}
