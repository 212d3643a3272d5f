import SQLiteNIO
import VigilCore

extension SQLiteStore {
    /// One page (`limit + 1` rows) of a full-text `query`, newest (or oldest) first, read in one
    /// snapshot from the word index up to its position and from the events after it.
    ///
    /// The index is walked one hour of `occurred_at` at a time, nearest first, so a word in a
    /// fifth of the log costs about one hour of its postings, and a rare word the few hours that
    /// hold it. Within an hour the candidates are ordered by the `occurred_at` their postings
    /// carry and read in growing chunks (a run of equal instants never split), each event
    /// tested against every other filter; the page is complete once it holds `limit + 1` rows,
    /// since every candidate not yet read lies strictly further in the query's order. Events
    /// after the index's position (the indexer's lag) are matched row by row with
    /// `vigil_has_words` and merged into their hours, so the page is exact at any lag.
    func wordSearch(_ query: EventQuery) async throws -> [Event] {
        try await self.pool.read(heavy: true) { connection in
            _ = try await connection.query("BEGIN")
            do {
                var search = try await WordSearch(query: query, connection: connection)
                let events = try await search.run()
                _ = try await connection.query("COMMIT")
                return events
            } catch {
                _ = try? await connection.query("ROLLBACK")
                throw error
            }
        }
    }
}

/// The state of one `SQLiteStore.wordSearch`.
struct WordSearch {
    typealias Posting = WordPostings.Posting

    let query: EventQuery
    let connection: SQLiteConnection
    let wanted: Int
    let descending: Bool
    /// Hours the query's range (and cursor) can reach, inclusive.
    let hours: ClosedRange<Int64>
    /// Matches after the index's position, by hour, not yet merged.
    var tail: [Int64: [Posting]]
    /// The term whose hours are walked: the one with the fewest index rows (up to a cap).
    var driver: String
    /// The query's other terms, each checked against its postings in the driver's hours.
    var others: Set<String>
    var collected: [Event] = []

    init(query: EventQuery, connection: SQLiteConnection) async throws {
        self.query = query
        self.connection = connection
        self.wanted = query.limit + 1
        self.descending = query.order == .desc
        let (low, high) = Self.instants(of: query)
        self.hours = WordPostings.hour(of: low)...WordPostings.hour(of: max(low, high))
        let state = try await connection.query("SELECT position FROM rollup_state WHERE name = 'words'")
        guard let position = state.first?.int64("position") else { throw CorruptRow(table: "rollup_state") }
        var filter = SQLiteStore.filter(for: query)
        filter.add("seq > ?", .integer(Int(position)))
        // NOT INDEXED: the lag is a short run of rowids; the time indexes could hold millions.
        let rows = try await connection.query("SELECT seq, occurred_at FROM events NOT INDEXED \(filter.whereClause)", filter.binds)
        self.driver = try await Self.rarest(Set(query.textTerms), connection: connection)
        self.others = Set(query.textTerms).subtracting([self.driver])
        self.tail = Dictionary(grouping: rows.map { Posting(seq: $0.int64("seq"), occurredAt: $0.int64("occurred_at")) }) {
            WordPostings.hour(of: $0.occurredAt)
        }
    }

    /// Of several terms, the one with the fewest index rows, counting each up to 2,000 rows
    /// (a few index pages): walking a rare word's hours beats walking a common one's.
    static func rarest(_ terms: Set<String>, connection: SQLiteConnection) async throws -> String {
        let sorted = terms.sorted()
        guard sorted.count > 1 else { return sorted[0] }
        var best = (term: sorted[0], rows: Int64.max)
        for term in sorted {
            let rows = try await connection.query(
                "SELECT count(*) AS n FROM (SELECT 1 FROM event_words WHERE word = ? LIMIT 2000)",
                [.text(term)]
            )
            let count = rows.first?.int64("n") ?? 0
            if count < best.rows { best = (term, count) }
        }
        return best.term
    }

    /// The first and last instant (inclusive, µs) the query can return.
    static func instants(of query: EventQuery) -> (Int64, Int64) {
        var low = query.from?.microseconds ?? -(1 << 61)
        var high = (query.to?.microseconds).map { $0 - 1 } ?? (1 << 61)
        if let cursor = query.cursor {
            if query.order == .desc { high = min(high, cursor.occurredAt.microseconds) } else { low = max(low, cursor.occurredAt.microseconds) }
        }
        return (low, high)
    }

    /// Walks the driver's hours in the query's order, in growing chunks of index rows.
    mutating func run() async throws -> [Event] {
        guard self.hours.lowerBound <= self.hours.upperBound else { return [] }
        var next = self.descending ? self.hours.upperBound : self.hours.lowerBound
        var chunk = 64
        while self.hours.contains(next) {
            let range = self.descending ? self.hours.lowerBound...next : next...self.hours.upperBound
            var rows = try await self.indexRows(term: self.driver, hours: range, limit: chunk)
            let exhausted = rows.count < chunk
            if !exhausted {
                // The last hour of a full chunk may go on past it: read it whole, or leave it to the next chunk.
                let last = rows[rows.count - 1].hour
                rows.removeAll { $0.hour == last }
                if rows.isEmpty { rows = try await self.indexRows(term: self.driver, hours: last...last, limit: nil) }
            }
            for hour in Self.distinctHours(rows) {
                if try await self.mergeTail(before: hour) { return self.collected }
                let postings = rows.filter { $0.hour == hour }
                if try await self.search(hour: hour, candidates: try self.indexCandidates(hour: hour, firstTerm: postings)) {
                    return self.collected
                }
            }
            guard !exhausted, let last = rows.last?.hour else { break }
            next = self.descending ? last - 1 : last + 1
            chunk = min(chunk * 2, 1024)
        }
        _ = try await self.mergeTail(before: nil)
        return self.collected
    }

    struct IndexRow {
        var hour: Int64
        var epoch: Int64
        var postings: SQLiteData?
    }

    func indexRows(term: String, hours: ClosedRange<Int64>, limit: Int?) async throws -> [IndexRow] {
        let direction = self.descending ? "DESC" : "ASC"
        let rows = try await self.connection.query(
            """
            SELECT hour, epoch, postings FROM event_words WHERE word = ? AND hour BETWEEN ? AND ?
            ORDER BY hour \(direction), epoch \(direction)\(limit.map { " LIMIT \($0)" } ?? "")
            """,
            [.text(term), .integer(Int(hours.lowerBound)), .integer(Int(hours.upperBound))]
        )
        return rows.map { IndexRow(hour: $0.int64("hour"), epoch: $0.int64("epoch"), postings: $0.column("postings")) }
    }

    static func distinctHours(_ rows: [IndexRow]) -> [Int64] {
        var hours: [Int64] = []
        for row in rows where hours.last != row.hour { hours.append(row.hour) }
        return hours
    }

    static func decode(_ rows: [IndexRow], hour: Int64) throws -> [Posting] {
        var postings: [Posting] = []
        for row in rows {
            guard case .blob(let buffer)? = row.postings else { throw CorruptRow(table: "event_words") }
            try WordPostings.decode(buffer.readableBytesView, hour: hour, epoch: row.epoch, into: &postings)
        }
        return postings
    }

    /// The driver's postings in `hour` that every other term also has there.
    func indexCandidates(hour: Int64, firstTerm rows: [IndexRow]) async throws -> [Posting] {
        var candidates = try Self.decode(rows, hour: hour)
        for term in self.others where !candidates.isEmpty {
            let other = try await self.indexRows(term: term, hours: hour...hour, limit: nil)
            let seqs = Set(try Self.decode(other, hour: hour).map(\.seq))
            candidates.removeAll { !seqs.contains($0.seq) }
        }
        return candidates
    }

    /// Searches the tail's hours that come before `hour` in the query's order (nil: all that
    /// remain); true once the page is complete.
    mutating func mergeTail(before hour: Int64?) async throws -> Bool {
        let due = self.tail.keys.filter { tailHour in
            guard let hour else { return true }
            return self.descending ? tailHour > hour : tailHour < hour
        }
        for tailHour in due.sorted(by: self.descending ? (>) : (<)) {
            if try await self.search(hour: tailHour, candidates: []) { return true }
        }
        return false
    }
}
