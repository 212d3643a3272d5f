import SQLiteNIO
import VigilCore

/// The state of one `SQLiteStore.wordSearch`.
struct WordSearch {
    struct Candidate: Hashable {
        var seq: Int64
        var occurredAt: Int64
    }

    let query: EventQuery
    let connection: SQLiteConnection
    let wanted: Int
    let descending: Bool
    /// The first and last instant (inclusive, µs) the query's range and cursor allow; nil
    /// when they allow none.
    let span: ClosedRange<Int64>?
    /// Matches after the index's position, not yet merged into a chunk.
    var tail: [Candidate]
    var collected: [Event] = []

    init(query: EventQuery, connection: SQLiteConnection) async throws {
        self.query = query
        self.connection = connection
        self.wanted = query.limit + 1
        self.descending = query.order == .desc
        var low = query.from?.microseconds ?? Int64.min
        var high = (query.to?.microseconds).map { $0 - 1 } ?? Int64.max
        if let cursor = query.cursor {
            if self.descending { high = min(high, cursor.occurredAt.microseconds) } else { low = max(low, cursor.occurredAt.microseconds) }
        }
        self.span = low <= high ? low...high : nil
        let position = try await SQLiteStore.wordIndexPosition(on: connection)
        var filter = SQLiteStore.filter(for: query)
        filter.add("seq > ?", .integer(Int(position)))
        // NOT INDEXED: the lag is a short run of rowids; the time indexes could hold millions.
        let rows = try await connection.query("SELECT seq, occurred_at FROM events NOT INDEXED \(filter.whereClause)", filter.binds)
        self.tail = rows.map { Candidate(seq: $0.int64("seq"), occurredAt: $0.int64("occurred_at")) }
    }

    /// Walks the matching rowids in the query's order, in growing chunks.
    mutating func run() async throws -> [Event] {
        guard let span = self.span else { return [] }
        var remaining = WordRowid.rowids(WordRowid.bucket(of: span.lowerBound)...WordRowid.bucket(of: span.upperBound))
        let match = WordRowid.match(self.query.textTerms)
        var chunk = 64
        while true {
            var rowids = try await self.rowids(match, in: remaining, limit: chunk)
            guard rowids.count == chunk, let last = rowids.last.map(WordRowid.bucket(ofRowid:)) else {
                // The chunk reached the end of the range: what is left is in it or the tail.
                _ = try await self.search(candidates: try await self.candidates(rowids) + self.takeTail { _ in true })
                return self.collected
            }
            // The last bucket may go on past the chunk: leave it to the next chunk, or (when it
            // is all the chunk holds) read it whole. `rest` is what no chunk has read yet.
            rowids.removeAll { WordRowid.bucket(ofRowid: $0) == last }
            let lastRowids = Self.clamp(WordRowid.rowids(last...last), to: remaining)
            var rest: ClosedRange<Int64>?
            if rowids.isEmpty {
                rowids = try await self.rowids(match, in: lastRowids, limit: nil)
                rest = self.beyond(lastRowids, in: remaining)
            } else {
                rest = self.descending ? remaining.lowerBound...lastRowids.upperBound : lastRowids.lowerBound...remaining.upperBound
            }
            let due = self.takeTail { rest?.contains($0) != true }
            if try await self.search(candidates: try await self.candidates(rowids) + due) { return self.collected }
            guard let rest else { return self.collected }
            remaining = rest
            chunk = min(chunk * 2, 4096)
        }
    }

    /// The part of `range` further in the query's order than `part` (nil: none).
    func beyond(_ part: ClosedRange<Int64>, in range: ClosedRange<Int64>) -> ClosedRange<Int64>? {
        if self.descending {
            return part.lowerBound > range.lowerBound ? range.lowerBound...(part.lowerBound - 1) : nil
        }
        return part.upperBound < range.upperBound ? (part.upperBound + 1)...range.upperBound : nil
    }

    static func clamp(_ range: ClosedRange<Int64>, to bounds: ClosedRange<Int64>) -> ClosedRange<Int64> {
        max(range.lowerBound, bounds.lowerBound)...min(range.upperBound, bounds.upperBound)
    }

    /// The rowids matching `match` in `range`, in the query's order.
    func rowids(_ match: String, in range: ClosedRange<Int64>, limit: Int?) async throws -> [Int64] {
        let rows = try await self.connection.query(
            """
            SELECT rowid FROM event_words WHERE event_words MATCH ? AND rowid BETWEEN ? AND ?
            ORDER BY rowid \(self.descending ? "DESC" : "ASC")\(limit.map { " LIMIT \($0)" } ?? "")
            """,
            [.text(match), .integer(Int(range.lowerBound)), .integer(Int(range.upperBound))]
        )
        return rows.map { $0.int64("rowid") }
    }

    /// The tail's matches whose rowid `isDue` says, removed from the tail.
    mutating func takeTail(_ isDue: (Int64) -> Bool) -> [Candidate] {
        var due: [Candidate] = []
        self.tail.removeAll { candidate in
            // Every seq of the log fits a rowid: the tail is the events after the index's
            // position, which is itself below 2^32 (`WordIndexFull`); larger seqs keep the
            // bucket's smallest rowid and so stay in their bucket.
            let rowid =
                WordRowid.rowid(seq: candidate.seq, occurredAt: candidate.occurredAt)
                ?? WordRowid.rowids(WordRowid.bucket(of: candidate.occurredAt)...WordRowid.bucket(of: candidate.occurredAt)).lowerBound
            guard isDue(rowid) else { return false }
            due.append(candidate)
            return true
        }
        return due
    }
}
