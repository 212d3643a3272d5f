extension EventStore {
    /// Reads every event matching `query` (its `limit` and `cursor` are replaced) in the query's
    /// order, one keyset page of `pageSize` events at a time, and hands each page to `body`
    /// before reading the next.
    ///
    /// The next page is read while `body` handles the current one (the database and the
    /// encoding then use a core each), so memory holds two pages whatever the size of the
    /// result, and no database snapshot or connection is held while `body` waits for a slow
    /// client. Events committed during the read appear if they sort after the current page
    /// (newer events in an oldest-first export).
    public func forEachPage(matching query: EventQuery, pageSize: Int, _ body: ([Event]) async throws -> Void) async throws {
        var first = query
        first.limit = pageSize
        first.cursor = nil
        var page = try await self.events(matching: first)
        while true {
            guard let cursor = page.nextCursor else {
                if !page.items.isEmpty { try await body(page.items) }
                return
            }
            var next = first
            next.cursor = cursor
            let request = next
            async let following = self.events(matching: request)
            try await body(page.items)
            page = try await following
        }
    }
}
