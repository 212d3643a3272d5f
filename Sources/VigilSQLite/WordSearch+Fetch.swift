import SQLiteNIO
import VigilCore

extension WordSearch {
    /// The events behind `rowids` with their instants (an event retention has deleted is gone).
    func candidates(_ rowids: [Int64]) async throws -> [Candidate] {
        var found: [Candidate] = []
        var start = rowids.startIndex
        while start < rowids.endIndex {
            let chunk = rowids[start..<min(start + 4096, rowids.endIndex)]
            let rows = try await self.connection.query(
                "SELECT seq, occurred_at FROM events WHERE seq IN (\(SQLiteFilter.placeholders(chunk.count)))",
                chunk.map { .integer(Int(WordRowid.seq(of: $0))) }
            )
            found += rows.map { Candidate(seq: $0.int64("seq"), occurredAt: $0.int64("occurred_at")) }
            start = chunk.endIndex
        }
        return found
    }

    /// Reads the events of `candidates` (every match in a stretch of the order that no earlier
    /// call covered) in the query's order, in growing runs; true once `collected` holds the
    /// whole page.
    mutating func search(candidates: [Candidate]) async throws -> Bool {
        guard let span = self.span else { return false }
        let descending = self.descending
        let ordered = Set(candidates).filter { span.contains($0.occurredAt) }.sorted {
            descending ? $0.occurredAt > $1.occurredAt : $0.occurredAt < $1.occurredAt
        }
        var start = 0
        var run = max(self.wanted - self.collected.count, 16)
        while start < ordered.count {
            var end = min(start + run, ordered.count)
            // Never split a run of equal instants: the page's order within it is by id.
            while end < ordered.count && ordered[end].occurredAt == ordered[end - 1].occurredAt { end += 1 }
            self.collected += try await self.events(seqs: ordered[start..<end].map(\.seq))
            start = end
            if self.collected.count >= self.wanted {
                self.collected.sort(by: self.inOrder)
                self.collected.removeLast(self.collected.count - self.wanted)
                return true
            }
            run = min(run * 2, 4096)
        }
        self.collected.sort(by: self.inOrder)
        return false
    }

    /// The events among `seqs` that pass every filter of the query. The words are checked
    /// again (`vigil_has_words`) although the index found them: a few rows, and the page never
    /// depends on FTS5's tokenizer agreeing with `TextSearch`.
    func events(seqs: [Int64]) async throws -> [Event] {
        var filter = SQLiteStore.filter(for: self.query)
        filter.add("seq", in: seqs.map { .integer(Int($0)) })
        return try await self.connection.query("SELECT \(SQLiteStore.eventColumns) FROM events \(filter.whereClause)", filter.binds)
            .decodeAll(table: "events", SQLiteStore.event(from:))
    }

    /// The page's order: by `occurred_at`, then id, both in the query's direction.
    func inOrder(_ lhs: Event, _ rhs: Event) -> Bool {
        if lhs.occurredAt != rhs.occurredAt {
            return self.descending ? lhs.occurredAt > rhs.occurredAt : lhs.occurredAt < rhs.occurredAt
        }
        return self.descending ? lhs.id.lowercased > rhs.id.lowercased : lhs.id.lowercased < rhs.id.lowercased
    }
}
