import Foundation

/// A read of the event log, expressed in domain terms. Every condition is ANDed; list-valued
/// conditions are ORed within themselves. Stores translate it into their own SQL.
public struct EventQuery: Sendable, Equatable {
    public enum Order: String, Sendable {
        case asc, desc
    }

    /// Exact type names.
    public var types: [String] = []
    /// Type prefixes from `auth.*` (stored without the `*`, e.g. `auth.`).
    public var typePrefixes: [String] = []
    public var actor: String?
    /// The role scope of a `user`: only events whose actor is exactly this. ANDed with `actor`.
    public var scopeActor: String?
    public var entityType: String?
    public var entityID: String?
    public var source: String?
    public var location: String?
    public var ipRange: CIDRRange?
    public var severities: [Severity] = []
    public var minSeverity: Severity?
    public var outcome: Outcome?
    /// Inclusive lower bound on `occurred_at`.
    public var from: Timestamp?
    /// Exclusive upper bound on `occurred_at`.
    public var to: Timestamp?
    /// Full-text terms; every term must match (prefix matching is not applied).
    public var textTerms: [String] = []
    /// Top-level details key equality (`details.KEY=VALUE`), compared as text.
    public var details: [DetailCondition] = []
    public var order: Order = .desc
    public var limit: Int = 50
    public var cursor: EventCursor?

    public init() {}

    public struct DetailCondition: Sendable, Equatable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }
}

/// A keyset position: the last row of the previous page, in `(occurred_at, id)` order.
public struct EventCursor: Sendable, Equatable {
    public var occurredAt: Timestamp
    public var id: UUID
    public var order: EventQuery.Order

    public init(occurredAt: Timestamp, id: UUID, order: EventQuery.Order) {
        self.occurredAt = occurredAt
        self.id = id
        self.order = order
    }

    /// Opaque token handed to clients (base64url, no padding).
    public var token: String {
        KeysetToken.encode(tag: "e1", order: self.order, time: self.occurredAt, id: self.id)
    }

    /// Decodes a token; nil for anything that is not a token this server produced.
    public init?(token: String) {
        guard let (order, time, id) = KeysetToken.decode(token, tag: "e1") else { return nil }
        self.init(occurredAt: time, id: id, order: order)
    }
}

/// One page of results and where the next one starts (nil at the end).
public struct EventPage: Sendable, Equatable {
    public var items: [Event]
    public var nextCursor: EventCursor?

    public init(items: [Event], nextCursor: EventCursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The page for `query` from up to `query.limit + 1` rows in its order: the extra row only
    /// tells that there is a next page, whose cursor is the last row kept.
    public init(fetched rows: consuming [Event], for query: EventQuery) {
        guard rows.count > query.limit else {
            self.init(items: rows, nextCursor: nil)
            return
        }
        // Trimmed in place: a copy of the prefix retained every string of every event again
        // (an export reads a million events through here).
        let extra = rows.count - query.limit
        var items = rows
        items.removeLast(extra)
        self.init(items: items, nextCursor: items.last.map { EventCursor(occurredAt: $0.occurredAt, id: $0.id, order: query.order) })
    }
}
