import SQLiteNIO
import VigilCore

extension WordSearch {
    /// Reads the events of `hour`'s candidates (plus the tail's matches in that hour) in the
    /// query's order, in growing chunks; true once `collected` holds the whole page.
    mutating func search(hour: Int64, candidates: [Posting]) async throws -> Bool {
        let (low, high) = Self.instants(of: self.query)
        var unique = Set(candidates)
        unique.formUnion(self.tail.removeValue(forKey: hour) ?? [])
        let ordered = unique.filter { $0.occurredAt >= low && $0.occurredAt <= high }.sorted {
            self.descending ? $0.occurredAt > $1.occurredAt : $0.occurredAt < $1.occurredAt
        }
        var start = 0
        var chunk = max(self.wanted - self.collected.count, 16)
        while start < ordered.count {
            var end = min(start + chunk, ordered.count)
            // Never split a run of equal instants: the page's order within it is by id.
            while end < ordered.count && ordered[end].occurredAt == ordered[end - 1].occurredAt { end += 1 }
            self.collected += try await self.events(seqs: ordered[start..<end].map(\.seq))
            start = end
            if self.collected.count >= self.wanted {
                self.collected.sort(by: self.inOrder)
                self.collected.removeLast(self.collected.count - self.wanted)
                return true
            }
            chunk = min(chunk * 2, 4096)
        }
        self.collected.sort(by: self.inOrder)
        return false
    }

    /// The events among `seqs` that pass every filter of the query but its words (which the
    /// index or the tail's row-by-row match has already checked).
    func events(seqs: [Int64]) async throws -> [Event] {
        var rest = self.query
        rest.textTerms = []
        var filter = SQLiteStore.filter(for: rest)
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
