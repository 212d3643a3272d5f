import Foundation

/// A read of the alert list. Conditions are ANDed; `statuses` and `severities` are ORed within
/// themselves. Ordered by `created_at` (then id), newest first unless `order` is `asc`; with
/// `sort` = `severity`, by severity first (most severe first when descending), then the same.
public struct AlertQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case created, severity
    }

    public var statuses: [AlertStatus] = []
    public var severities: [Severity] = []
    public var minSeverity: Severity?
    public var ruleID: UUID?
    public var assignee: String?
    /// Case-insensitive substring of the title, rule name or group key.
    public var text: String?
    /// Inclusive lower bound on `created_at`.
    public var from: Timestamp?
    /// Exclusive upper bound on `created_at`.
    public var to: Timestamp?
    public var order: EventQuery.Order = .desc
    public var sort: Sort = .created
    public var limit: Int = 50
    public var cursor: AlertCursor?

    public init() {}
}

/// A keyset position in the alert list: the last alert of the previous page.
public struct AlertCursor: Sendable, Equatable {
    public var createdAt: Timestamp
    public var id: UUID
    public var order: EventQuery.Order
    /// The last alert's severity when the list is sorted by severity; nil when by time.
    public var severity: Severity?

    public init(createdAt: Timestamp, id: UUID, order: EventQuery.Order, severity: Severity? = nil) {
        self.createdAt = createdAt
        self.id = id
        self.order = order
        self.severity = severity
    }

    /// Opaque token handed to clients (base64url, no padding).
    public var token: String {
        let tag = self.severity.map { "a2.\($0.rank)" } ?? "a1"
        return KeysetToken.encode(tag: tag, order: self.order, time: self.createdAt, id: self.id)
    }

    /// Decodes a token; nil for anything that is not an alert cursor this server produced.
    public init?(token: String) {
        if let (order, time, id) = KeysetToken.decode(token, tag: "a1") {
            self.init(createdAt: time, id: id, order: order)
            return
        }
        for severity in Severity.allCases {
            if let (order, time, id) = KeysetToken.decode(token, tag: "a2.\(severity.rank)") {
                self.init(createdAt: time, id: id, order: order, severity: severity)
                return
            }
        }
        return nil
    }
}

/// One page of alerts and where the next one starts (nil at the end).
public struct AlertPage: Sendable, Equatable {
    public var items: [Alert]
    public var nextCursor: AlertCursor?

    public init(items: [Alert], nextCursor: AlertCursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The page for `query` from up to `query.limit + 1` rows in its order.
    public init(fetched rows: [Alert], for query: AlertQuery) {
        guard rows.count > query.limit else {
            self.init(items: rows, nextCursor: nil)
            return
        }
        let items = Array(rows.prefix(query.limit))
        let severity = query.sort == .severity ? items.last?.severity : nil
        self.init(
            items: items,
            nextCursor: items.last.map { AlertCursor(createdAt: $0.createdAt, id: $0.id, order: query.order, severity: severity) }
        )
    }
}
