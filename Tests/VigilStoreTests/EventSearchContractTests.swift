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

    /// A burst of 2,100 rows in one second, then matches on its far side at every power of 4
    /// seconds up to 4^12 (194 days) and at 1, 7 and 31 days, each also one second either side.
    /// PostgreSQL's probe then spans no time and finds no match, so every match comes from its
    /// windows, whose edges (1, 7 and 31 days from the probe) have a match on them and next to
    /// them. Newest first the matches lie before the burst, oldest first after it.
    @Test(arguments: StoreBackend.available, [EventQuery.Order.desc, .asc])
    func matchesOnEveryWindowEdgeBehindABurst(backend: StoreBackend, order: EventQuery.Order) async throws {
        let side: Int64 = order == .desc ? -1 : 1
        let burst = (0..<2_100).map { _ in Fixtures.event("noise", at: 0, actor: "n", description: "ordinary chatter") }
        let powers = (0...12).map { (power: Int) -> Int64 in (0..<power).reduce(1) { reach, _ in reach * 4 } }
        let needles = (powers + [86_400, 7 * 86_400, 31 * 86_400]).flatMap { reach in
            [reach - 1, reach, reach + 1].filter { $0 > 0 }.map { distance in
                Fixtures.event("needle", at: side * distance, actor: "a", description: "a needle past the burst")
            }
        }
        try await backend.withStore { store in
            _ = try await store.write([burst + needles])
            // A page of 100 holds every match, so the first page crosses every window edge.
            for (terms, limit) in [(["needle"], 7), (["needle"], 100), (["chatter"], 100)] {
                var query = EventQuery()
                (query.order, query.textTerms, query.limit) = (order, terms, limit)
                let found = try await Fixtures.allPages(store, query, maxPages: 40)
                #expect(found == Fixtures.expected(query, among: burst + needles), "\(terms)")
            }
            var ranged = EventQuery()
            (ranged.order, ranged.textTerms, ranged.limit) = (order, ["needle"], 5)
            (ranged.from, ranged.to) = order == .desc ? (Fixtures.base.adding(seconds: -4_096), nil) : (nil, Fixtures.base.adding(seconds: 4_097))
            let found = try await Fixtures.allPages(store, ranged, maxPages: 40)
            #expect(found == Fixtures.expected(ranged, among: burst + needles))
            #expect(found.count == 19)
        }
    }
}
