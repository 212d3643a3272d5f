import Foundation
import Testing
import VigilCore

/// Statistics on every backend equal counts computed here, over the same stored events,
/// whatever part of the log the rollups have reached.
@Suite struct StatsStoreContractTests {
    /// Events over four days around `Fixtures.base`, from a fixed seed: repeated and missing
    /// addresses, actors and sources, so top lists have ties and absent keys. Addresses are
    /// skewed (a few frequent, many rare), so a shallow candidate depth sometimes settles a top
    /// list and sometimes must count every key.
    static func data(count: Int, seed: UInt64) -> [PreparedEvent] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let types = ["auth.login.failed", "auth.login.failed", "auth.login.succeeded", "file.read", "net.conn"]
        let ips: [String?] =
            Array(repeating: "10.0.0.1", count: 6) + Array(repeating: "10.0.0.2", count: 3) + ["10.0.0.3", "2001:db8::7", "192.168.4.4", nil, "rare"]
        let actors: [String?] = ["alice", "bob", "carol", "dave", "Émile", nil]
        let sources: [String?] = ["sshd", "nginx", "app", nil]
        return (0..<count).map { _ in
            Fixtures.event(
                types[next(types.count)],
                at: Int64(next(4 * 86_400)) - 2 * 86_400,
                severity: Severity.allCases[next(5)],
                outcome: Outcome.allCases[next(3)],
                actor: actors[next(actors.count)],
                source: sources[next(sources.count)],
                ip: ips[next(ips.count)].map { $0 == "rare" ? "198.51.100.\(next(40))" : $0 }
            )
        }
    }

    /// The window and filters of each checked query; from/to are widened to whole buckets.
    static let queries: [[(String, String)]] = [
        [("from", "2026-02-27T00:00:00Z"), ("to", "2026-03-03T00:00:00Z"), ("bucket", "day")],
        [("from", "2026-02-27T20:17:00Z"), ("to", "2026-03-01T05:42:00Z"), ("bucket", "minute"), ("top", "3")],
        [("from", "2026-02-28T19:00:00Z"), ("to", "2026-03-01T07:00:00Z"), ("bucket", "hour"), ("top", "2")],
        [("from", "2026-02-27T13:10:00Z"), ("to", "2026-02-27T13:50:00Z"), ("bucket", "minute")],
        [("from", "2026-02-26T03:00:00Z"), ("to", "2026-03-02T22:00:00Z"), ("bucket", "hour")],
        [("from", "2026-02-27T00:00:00Z"), ("to", "2026-03-03T00:00:00Z"), ("bucket", "hour"), ("type", "auth.login.failed")],
        [("from", "2026-02-28T00:30:00Z"), ("to", "2026-03-01T10:00:00Z"), ("bucket", "minute"), ("actor", "alice"), ("top", "1")],
        [("from", "2026-02-27T00:00:00Z"), ("to", "2026-03-03T00:00:00Z"), ("min_severity", "high"), ("source", "sshd")],
        [("from", "2026-02-26T00:00:00Z"), ("to", "2026-03-04T00:00:00Z"), ("bucket", "day"), ("source", "nginx"), ("top", "2")],
    ]

    @Test(arguments: StoreBackend.available)
    func statsEqualIndependentCountsAtEveryRollupProgress(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = Self.data(count: 300, seed: 7)
            _ = try await store.write([first])
            try await self.check(store, "nothing rolled up")
            // Part of the log rolled up, then more events, some in buckets already rolled up.
            let firstStep = try await store.rollUp(limit: 120)
            #expect(firstStep <= 120)
            _ = try await store.write([Self.data(count: 200, seed: 11)])
            try await self.check(store, "partly rolled up")
            #expect(try await Self.rollUpAll(store, expecting: 500 - firstStep) == 500 - firstStep)
            try await self.check(store, "fully rolled up")
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentRollUpsCountEachEventOnce(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for seed in 1...4 { _ = try await store.write([Self.data(count: 250, seed: UInt64(seed))]) }
            let steps = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var total = 0
                        while true {
                            let step = try await store.rollUp(limit: 70)
                            if step == 0 { return total }
                            total += step
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            // On PostgreSQL a step may find nothing while another session's transaction holds
            // the horizon back; what the racers left is rolled up here, never twice.
            #expect(try await Self.rollUpAll(store, expecting: 1000 - steps) == 1000 - steps)
            try await self.check(store, "after concurrent roll-ups")
        }
    }

    /// Rolls up until `expecting` events are counted (a step may find nothing while, on
    /// PostgreSQL, a transaction running in the database holds the horizon back), then one more
    /// step, which must find nothing; returns how many were counted.
    static func rollUpAll(_ store: any ContractStore, expecting: Int) async throws -> Int {
        var rolled = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while rolled < expecting, ContinuousClock.now < deadline {
            let step = try await store.rollUp(limit: 150)
            if step == 0 { try await Task.sleep(for: .milliseconds(20)) }
            rolled += step
        }
        return rolled + (try await store.rollUp(limit: 150))
    }

    /// Every query against counts computed from the stored events.
    func check(_ store: any ContractStore, _ stage: Comment) async throws {
        var stored: [Event] = []
        var all = EventQuery()
        all.order = .asc
        try await store.forEachPage(matching: all, pageSize: 97) { stored += $0 }
        for parameters in Self.queries {
            let parsed = try StatsQuery.parse(parameters, now: Fixtures.base).get()
            let expected = Self.expected(parsed, over: stored)
            // The default depth, and depths so shallow the candidates often cannot settle it.
            for depth in [nil, 1, 2] {
                let query = StatsQuery(events: parsed.events, bucket: parsed.bucket, top: parsed.top, candidateDepth: depth)
                let actual = try await store.eventStats(query)
                #expect(actual == expected, "\(stage): \(parameters), depth \(query.candidateDepth)")
            }
        }
    }

    /// Counts by hand: filter, count each field, rank the top lists (count, then key bytes).
    static func expected(_ query: StatsQuery, over events: [Event]) -> EventStats {
        let matching = events.filter { event in
            let q = query.events
            guard event.occurredAt >= query.from, event.occurredAt < query.to else { return false }
            if !q.types.isEmpty, !q.types.contains(event.type) { return false }
            if let actor = q.actor, event.actor != actor { return false }
            if let source = q.source, event.source != source { return false }
            if let minimum = q.minSeverity, event.severity < minimum { return false }
            return true
        }
        var stats = EventStats()
        var ips: [String: Int64] = [:]
        var actors: [String: Int64] = [:]
        var failedIPs: [String: Int64] = [:]
        for event in matching {
            stats.total += 1
            stats.byType[event.type, default: 0] += 1
            stats.bySeverity[event.severity, default: 0] += 1
            stats.byOutcome[event.outcome, default: 0] += 1
            if let source = event.source { stats.bySource[source, default: 0] += 1 }
            if let ip = event.ip { ips[ip, default: 0] += 1 }
            if let actor = event.actor { actors[actor, default: 0] += 1 }
            if event.type == "auth.login.failed" {
                stats.failedLogins += 1
                if let ip = event.ip { failedIPs[ip, default: 0] += 1 }
            }
            stats.timeline[query.bucket.floor(event.occurredAt), default: 0] += 1
        }
        func top(_ counts: [String: Int64]) -> [EventStats.Entry] {
            Array(counts.map { EventStats.Entry($0.key, $0.value) }.sorted(by: EventStats.ranks).prefix(query.top))
        }
        (stats.topIPs, stats.topActors, stats.failedLoginTopIPs) = (top(ips), top(actors), top(failedIPs))
        return stats
    }
}
