import SQLiteNIO
import VigilCore

extension SQLiteStore {
    /// One page (`limit + 1` rows) of a full-text `query`, newest (or oldest) first, read in one
    /// snapshot from the word index up to its position and from the events after it.
    ///
    /// FTS5 hands back the rowids matching every word in rowid order, which is the order of
    /// 2-second buckets of `occurred_at` (`WordRowid`); they are taken in growing chunks, nearest
    /// first. The buckets a chunk holds whole are complete: their candidates are ordered by
    /// `occurred_at` and read in growing runs (a run of equal instants never split), each event
    /// tested against every filter. The page is complete once it holds `limit + 1` events, since
    /// every candidate not yet read lies strictly further in the query's order — so a word in a
    /// fifth of the log costs about a page of its matches, not all of them. Events after the
    /// index's position (the indexer's lag) are matched row by row with `vigil_has_words` and
    /// join the first chunk whose buckets reach theirs, so the page is exact at any lag.
    func wordSearch(_ query: EventQuery) async throws -> [Event] {
        try await self.pool.readTransaction(heavy: true) { connection in
            var search = try await WordSearch(query: query, connection: connection)
            return try await search.run()
        }
    }
}
