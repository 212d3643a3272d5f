/// A request for statistics: the events of `events` (its filters and its time range, which is
/// always set and aligned to whole buckets), counted by field and by `bucket`, with `top`
/// entries in each top list.
public struct StatsQuery: Sendable, Equatable {
    /// Filters, scope and the window `[from, to)`; `order`, `limit` and `cursor` are unused.
    public var events: EventQuery
    public var bucket: StatsBucket
    public var top: Int
    /// How many of each rollup bucket's most frequent keys are candidates for a top list (at
    /// least `top`). Deeper finds the answer without a full count more often, at the price of
    /// more candidates; see `docs/design.md`, "Exports and statistics".
    public var candidateDepth: Int

    public init(events: EventQuery, bucket: StatsBucket, top: Int = 10, candidateDepth: Int? = nil) {
        self.events = events
        self.bucket = bucket
        self.top = top
        self.candidateDepth = max(top, candidateDepth ?? max(2 * top, 20))
    }

    /// The window's start (inclusive), a bucket boundary.
    public var from: Timestamp { self.events.from ?? Timestamp(microseconds: 0) }
    /// The window's end (exclusive), a bucket boundary.
    public var to: Timestamp { self.events.to ?? Timestamp(microseconds: 0) }

    /// The start of every bucket of the window, in order.
    public var bucketStarts: [Timestamp] {
        stride(from: self.from.microseconds, to: self.to.microseconds, by: Int(self.bucket.microseconds)).map(Timestamp.init(microseconds:))
    }

    /// Whether anything narrows the events beyond the time window (filters or a user's scope);
    /// such queries are counted from the events themselves, not from rollups.
    public var isFiltered: Bool {
        var unfiltered = EventQuery()
        (unfiltered.from, unfiltered.to) = (self.events.from, self.events.to)
        var events = self.events
        (events.order, events.limit, events.cursor) = (unfiltered.order, unfiltered.limit, unfiltered.cursor)
        return events != unfiltered
    }
}
