import Foundation
import Testing
import VigilCore

/// Filtered pages when matches are not spread evenly in time: thousands of recent rows that do
/// not match, matches scattered over two months before them. Every engine must return exactly
/// the matching rows, in order, page by page (PostgreSQL takes its probe-then-windows path here).
@Suite struct EventSearchContractTests {
    static let noise = (0..<2_500).map { Fixtures.event("noise", at: Int64($0), actor: "n", description: "ordinary chatter") }
    static let needles =
        (1...60).map { day in
            Fixtures.event("needle", at: -Int64(day) * 86_400 + Int64(day * 37), actor: "a", description: "a needle in the log")
        } + [100, 1_200, 2_400].map { Fixtures.event("needle", at: $0, actor: "a", description: "a needle among recent rows") }

    static func expected(_ order: EventQuery.Order, from: Timestamp? = nil, to: Timestamp? = nil) -> [UUID] {
        let sorted = needles.map(\.event)
            .filter { event in from.map { event.occurredAt >= $0 } ?? true }
            .filter { event in to.map { event.occurredAt < $0 } ?? true }
            .sorted { ($0.occurredAt, $0.id.lowercased) < ($1.occurredAt, $1.id.lowercased) }
            .map(\.id)
        return order == .asc ? sorted : sorted.reversed()
    }

    func pages(_ store: any ContractStore, _ configure: (inout EventQuery) -> Void) async throws -> [UUID] {
        var query = EventQuery()
        query.limit = 7
        configure(&query)
        return try await Fixtures.allPages(store, query, maxPages: 40)
    }

    @Test(arguments: StoreBackend.available)
    func sparseMatchesBehindManyRecentRows(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.write([Self.noise + Self.needles])
            for order in [EventQuery.Order.desc, .asc] {
                #expect(
                    try await pages(store) {
                        $0.order = order
                        $0.actor = "a"
                    } == Self.expected(order)
                )
                #expect(
                    try await pages(store) {
                        $0.order = order
                        $0.textTerms = ["needle"]
                    } == Self.expected(order)
                )
                #expect(
                    try await pages(store) {
                        $0.order = order
                        $0.types = ["needle"]
                    } == Self.expected(order)
                )
                let from = Fixtures.base.adding(seconds: -20 * 86_400)
                let to = Fixtures.base.adding(seconds: 2_000)
                #expect(
                    try await pages(store) {
                        $0.order = order
                        $0.textTerms = ["needle"]
                        $0.from = from
                        $0.to = to
                    } == Self.expected(order, from: from, to: to)
                )
            }
            #expect(
                try await pages(store) {
                    $0.actor = "a"
                    $0.textTerms = ["chatter"]
                } == []
            )
        }
    }

    /// Offsets of the whole log: none, and 57 years back (before 1970).
    static let shifts: [Int64] = [0, -1_797_552_000]

    /// Matches every 7 minutes for 14 hours behind 2,100 recent rows without them: PostgreSQL's
    /// probe finds none and its search goes on window by window. Pages must be exact across
    /// window edges, for two words together, for ranges that end between matches, and before
    /// 1970 as after (time slots computed by floor division must not shift at the epoch).
    @Test(arguments: StoreBackend.available, Self.shifts)
    func matchesHoursBehindTheProbe(backend: StoreBackend, shift: Int64) async throws {
        let noise = (0..<2_100).map { Fixtures.event("noise", at: shift + Int64($0), actor: "n", description: "ordinary chatter") }
        let needles: [PreparedEvent] = (1...120).map { (index: Int) -> PreparedEvent in
            let offset: Int64 = shift - Int64(index) * 420 + Int64(index % 5)
            let text = index % 3 == 0 ? "a pin and a needle" : "a needle"
            return Fixtures.event("needle", at: offset, actor: "a", description: text)
        }
        try await backend.withStore { store in
            _ = try await store.write([noise + needles])
            for order in [EventQuery.Order.desc, .asc] {
                for terms in [["needle"], ["pin", "needle"]] {
                    let ranges: [(Timestamp?, Timestamp?)] = [
                        (nil, nil), (Fixtures.base.adding(seconds: shift - 30_100), Fixtures.base.adding(seconds: shift - 4_321)),
                    ]
                    for (from, to) in ranges {
                        var query = EventQuery()
                        (query.order, query.textTerms, query.from, query.to, query.limit) = (order, terms, from, to, 7)
                        let found = try await Fixtures.allPages(store, query, maxPages: 40)
                        #expect(found == Fixtures.expected(query, among: noise + needles), "\(order) \(terms) \(String(describing: from))")
                        #expect(!found.isEmpty)
                    }
                }
            }
        }
    }
}
