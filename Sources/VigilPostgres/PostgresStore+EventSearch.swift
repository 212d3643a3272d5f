import Foundation
import PostgresNIO
import VigilCore

/// Bounds the search strategy adds to a query (see `PostgresStore.search`).
struct ScanBounds {
    /// Rows up to and including this position in the query's order.
    var inclusiveEnd: EventCursor?
    /// Rows on the near side of this instant (`>=` it when newest first, `<` it when oldest first).
    var windowEdge: Timestamp?
}

extension PostgresStore {
    /// Rows of the newest (or oldest) end of the log examined before searching by index.
    static let probeRows = 2000
    /// Time windows searched by index, nearest first, after the probe.
    static let searchWindows: [Int64?] = [86_400, 7 * 86_400, 31 * 86_400, nil]

    /// One page (`limit + 1` rows, to know whether there is a next page) of `query`.
    ///
    /// "The newest 50 rows matching a filter" has two good plans: walk the time index and test
    /// each row (fast when matches are common among recent rows), or collect matches from a GIN
    /// or b-tree index and sort them (fast when they are few). PostgreSQL picks one from
    /// statistics that assume matches are spread evenly in time; when they are not (a word
    /// common last month and absent today), the walk reads millions of rows. So when an index
    /// could serve a filter, the search is bounded by construction (filters no index serves —
    /// severity, outcome — are only ever evaluated on the walk, which is then the one plan):
    /// 1. walk only the nearest `probeRows` rows of the time range; a full page there is the answer;
    /// 2. otherwise search the rest by index only (index-ordered scans disabled in a
    ///    transaction), one growing time window at a time, until the page is full.
    func search(_ query: EventQuery, on connection: PostgresConnection) async throws -> [Event] {
        let wanted = query.limit + 1
        guard query.hasIndexedFilters else { return try await self.select(query, limit: wanted, on: connection) }
        var base = EventQuery()
        (base.from, base.to, base.order, base.cursor) = (query.from, query.to, query.order, query.cursor)
        guard let boundary = try await self.position(Self.probeRows - 1, of: base, on: connection) else {
            // The whole range is smaller than the probe: one bounded query.
            return try await self.select(query, limit: wanted, on: connection)
        }
        var items = try await self.select(query, bounds: ScanBounds(inclusiveEnd: boundary), limit: wanted, on: connection)
        if items.count >= wanted { return items }
        return try await connection.withTransaction(logger: self.logger) { connection in
            // With the defaults (a page read priced as from a spinning disk, random_page_cost 4;
            // 4 MB per bitmap), a window behind an ingest burst scanned the month's partition
            // for a common word and JIT-compiled the plan (650 ms at 12.5 M events, 80-100 ms of
            // it compiling); priced as cached or SSD pages, it ANDs the word's bitmap with the
            // window's and leaves the burst's rows unread (235-323 ms). Each bitmap stays <= 16 MB.
            // No parallel workers: with four searches at once on two cores, they cost a third of
            // the searches answered at 2.5 M events and gained nothing at 12.5 M.
            try await connection.query(
                """
                SELECT set_config('enable_indexscan', 'off', true), set_config('random_page_cost', '1.1', true),
                    set_config('work_mem', '16MB', true), set_config('jit', 'off', true),
                    set_config('max_parallel_workers_per_gather', '0', true)
                """,
                logger: self.logger
            )
            var rest = query
            rest.cursor = boundary
            for window in Self.searchWindows {
                let edge = window.map { query.order == .desc ? boundary.occurredAt.adding(seconds: -$0) : boundary.occurredAt.adding(seconds: $0) }
                items += try await self.select(rest, bounds: ScanBounds(windowEdge: edge), limit: wanted - items.count, on: connection)
                guard items.count < wanted, let edge, !query.isBeyondRange(edge) else { break }
                // The next window starts exactly where this one ended: newest first, before
                // (edge, nil UUID), i.e. occurred_at < edge; oldest first, after (edge - 1 µs,
                // max UUID), i.e. occurred_at >= edge.
                rest.cursor =
                    query.order == .desc
                    ? EventCursor(occurredAt: edge, id: UUID(uuid: UUID.lowestBytes), order: .desc)
                    : EventCursor(occurredAt: Timestamp(microseconds: edge.microseconds - 1), id: UUID(uuid: UUID.highestBytes), order: .asc)
            }
            return items
        }
    }

    private func select(_ query: EventQuery, bounds: ScanBounds = .init(), limit: Int, on connection: PostgresConnection) async throws -> [Event] {
        let (whereClause, binds) = Self.whereClause(for: query, bounds: bounds)
        let direction = query.order == .desc ? "DESC" : "ASC"
        let sql = "SELECT \(Self.eventColumns) FROM events \(whereClause) ORDER BY occurred_at \(direction), id \(direction) LIMIT \(limit)"
        var items: [Event] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: try binds.checked()), logger: self.logger) {
            items.append(try Self.event(from: row))
        }
        return items
    }

    /// The position of the row `offset` rows into `query`'s order, or nil if there are fewer.
    private func position(_ offset: Int, of query: EventQuery, on connection: PostgresConnection) async throws -> EventCursor? {
        let (whereClause, binds) = Self.whereClause(for: query)
        let direction = query.order == .desc ? "DESC" : "ASC"
        let sql = "SELECT occurred_at, id FROM events \(whereClause) ORDER BY occurred_at \(direction), id \(direction) OFFSET \(offset) LIMIT 1"
        for try await (time, id) in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: try binds.checked()), logger: self.logger)
            .decode((Timestamp, UUID).self)
        {
            return EventCursor(occurredAt: time, id: id, order: query.order)
        }
        return nil
    }
}

extension EventQuery {
    /// Whether a filter has an index of its own (facets, addresses, words, details); severity
    /// and outcome do not, so for them walking the time index is the only plan.
    var hasIndexedFilters: Bool {
        !self.types.isEmpty || !self.typePrefixes.isEmpty || self.actor != nil || self.scopeActor != nil || self.entityType != nil
            || self.entityID != nil || self.source != nil || self.location != nil || self.ipRange != nil || !self.textTerms.isEmpty
            || !self.details.isEmpty
    }

    /// Whether `instant` lies past the far end of the query's time range, in its order.
    func isBeyondRange(_ instant: Timestamp) -> Bool {
        switch self.order {
        case .desc: self.from.map { instant <= $0 } ?? false
        case .asc: self.to.map { instant >= $0 } ?? false
        }
    }
}

extension UUID {
    static let lowestBytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    static let highestBytes: uuid_t = (
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255
    )
}
