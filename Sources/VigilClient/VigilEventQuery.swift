import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Filters of `GET /api/v1/events`: each is optional; `details` matches top-level keys.
public struct VigilEventQuery: Sendable, Hashable {
    public var type: String?
    public var actor: String?
    public var ip: String?
    public var source: String?
    public var severity: String?
    public var minSeverity: String?
    public var outcome: String?
    public var q: String?
    public var from: Date?
    public var to: Date?
    /// `asc` or `desc` (the default).
    public var order: String?
    public var details: [String: String] = [:]
    /// Events per page (1-1000).
    public var pageSize = 500

    public init(type: String? = nil, actor: String? = nil, ip: String? = nil, q: String? = nil, order: String? = nil, pageSize: Int = 500) {
        self.type = type
        self.actor = actor
        self.ip = ip
        self.q = q
        self.order = order
        self.pageSize = pageSize
    }

    var parameters: [(String, String)] {
        var items: [(String, String)] = []
        let text: [(String, String?)] = [
            ("type", self.type), ("actor", self.actor), ("ip", self.ip), ("source", self.source), ("severity", self.severity),
            ("min_severity", self.minSeverity), ("outcome", self.outcome), ("q", self.q), ("order", self.order),
            ("from", self.from.map { VigilClientEvent.rfc3339($0) }), ("to", self.to.map { VigilClientEvent.rfc3339($0) }),
        ]
        for case let (name, value?) in text { items.append((name, value)) }
        for (key, value) in self.details.sorted(by: { $0.key < $1.key }) { items.append(("details.\(key)", value)) }
        items.append(("limit", String(min(1000, max(1, self.pageSize)))))
        return items
    }
}

/// The events of a query, fetched a page at a time as they are iterated.
public struct VigilEventSequence: AsyncSequence, Sendable {
    public typealias Element = VigilStoredEvent
    let transport: VigilTransport
    let filters: VigilEventQuery

    public struct AsyncIterator: AsyncIteratorProtocol {
        let transport: VigilTransport
        let filters: VigilEventQuery
        var page: [VigilStoredEvent] = []
        var index = 0
        var cursor: String?
        var finished = false

        public mutating func next() async throws -> VigilStoredEvent? {
            while self.index >= self.page.count {
                guard !self.finished else { return nil }
                struct Page: Decodable {
                    var items: [VigilStoredEvent]
                    var nextCursor: String?
                    enum CodingKeys: String, CodingKey {
                        case items
                        case nextCursor = "next_cursor"
                    }
                }
                var parameters = self.filters.parameters
                if let cursor = self.cursor { parameters.append(("cursor", cursor)) }
                let answer = try await self.transport.call(.GET, "/api/v1/events", query: parameters)
                let page = try VigilClient.decode(Page.self, answer)
                (self.page, self.index, self.cursor) = (page.items, 0, page.nextCursor)
                self.finished = page.nextCursor == nil
            }
            defer { self.index += 1 }
            return self.page[self.index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(transport: self.transport, filters: self.filters)
    }
}
