import Foundation
import Metrics
import Testing
import VigilCore

/// Following the committed log from a position: every event exactly once, in commit order.
@Suite struct EventLogContractTests {
    /// Follows the log from `start` until `expected` events were seen, polling like a follower:
    /// on PostgreSQL any transaction running in the database holds the visible end of the log
    /// back until it ends.
    static func follow(
        _ store: any ContractStore,
        from start: LogPosition?,
        expecting expected: Int,
        limit: Int = 7
    ) async throws -> ([UUID], LogPosition?) {
        var position = start
        var seen: [UUID] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while seen.count < expected, ContinuousClock.now < deadline {
            let batch = try await store.committedEvents(after: position, limit: limit)
            if batch.events.isEmpty {
                #expect(batch.position == position, "an empty read keeps the position")
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            seen += batch.events.map(\.id)
            position = batch.position
        }
        // Nothing beyond what was expected.
        #expect(try await store.committedEvents(after: position, limit: limit).events.isEmpty)
        return (seen, position)
    }

    @Test(arguments: StoreBackend.available)
    func everyCommittedEventOnceInCommitOrder(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            // occurred_at deliberately runs backwards: the log order is commit order, not event time.
            let first = (0..<12).map { Fixtures.event("first", at: 1_000 - Int64($0)) }
            let second = (0..<9).map { Fixtures.event("second", at: -Int64($0) * 86_400) }
            _ = try await store.write([first])
            _ = try await store.write([Array(second.prefix(4)), Array(second.dropFirst(4))])
            let (seen, position) = try await Self.follow(store, from: nil, expecting: 21)
            #expect(seen.count == 21)
            #expect(Set(seen) == Set((first + second).map(\.event.id)))
            #expect(Set(seen.prefix(12)) == Set(first.map(\.event.id)), "the first commit's events come first")

            let third = (0..<3).map { Fixtures.event("third", at: $0) }
            _ = try await store.write([third])
            let (more, _) = try await Self.follow(store, from: position, expecting: 3, limit: 2)
            #expect(Set(more) == Set(third.map(\.event.id)))
            #expect(more.count == 3)
        }
    }

    /// PostgreSQL orders the log by transaction id as a number: pages that cross a power of ten
    /// ("99" → "100") neither skip nor repeat an event. Each event is its own commit; the test
    /// gives them small transaction ids, all long finished, on either side of such boundaries.
    @Test(arguments: StoreBackend.available.filter { $0 == .postgres })
    func transactionIdsOrderAsNumbersNotText(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let transactions = [9, 10, 11, 99, 100, 101, 998, 1_000]
            var ids: [UUID] = []
            for (index, tx) in transactions.enumerated() {
                let event = Fixtures.event("digits", at: Int64(index))
                _ = try await store.write([[event]])
                try await DamagedRowContractTests.damage(store, "UPDATE events SET tx = '\(tx)' WHERE id = '\(event.event.id.lowercased)'")
                ids.append(event.event.id)
            }
            for limit in [1, 2, 3, 5] {
                let (seen, _) = try await Self.follow(store, from: nil, expecting: ids.count, limit: limit)
                #expect(seen == ids, "pages of \(limit)")
            }
        }
    }

    /// Each read names the position after every event it returns, and reading on from any of
    /// them continues with exactly the next event: what `SharedLogTail` serves a follower from.
    @Test(arguments: StoreBackend.available)
    func positionsAfterEachEventContinueTheLog(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.write([(0..<5).map { Fixtures.event("each", at: Int64($0)) }])
            _ = try await store.write([(0..<4).map { Fixtures.event("each", at: Int64($0)) }])
            let (ids, _) = try await Self.follow(store, from: nil, expecting: 9, limit: 100)
            let batch = try await store.committedEvents(after: nil, limit: 100)
            #expect(batch.events.map(\.id) == ids)
            #expect(batch.positions.count == 9)
            #expect(batch.positions.last == batch.position)
            for (index, position) in batch.positions.enumerated() {
                let rest = try await store.committedEvents(after: position, limit: 100)
                #expect(rest.events.map(\.id) == Array(ids.dropFirst(index + 1)), "after event \(index)")
                #expect(rest.positions == Array(batch.positions.dropFirst(index + 1)))
            }
        }
    }

    /// Two followers reading through one `SharedLogTail` in different page sizes — the detector
    /// and the sealer — each see every event once, in log order, as reading the engine directly.
    @Test(arguments: StoreBackend.available)
    func followersSharingTheTailSeeTheLogAsIs(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for commit in 0..<6 {
                _ = try await store.write([(0..<(7 + commit)).map { Fixtures.event("shared", at: Int64($0)) }])
            }
            let (direct, _) = try await Self.follow(store, from: nil, expecting: 57, limit: 1000)
            let tail = SharedLogTail(base: store, metrics: NOOPMetricsHandler.instance)
            var positions: [LogPosition?] = [nil, nil]
            var seen: [[UUID]] = [[], []]
            let limits = [10, 25]
            while seen[0].count < 57 || seen[1].count < 57 {
                for follower in 0..<2 where seen[follower].count < 57 {
                    let batch = try await tail.committedEvents(after: positions[follower], limit: limits[follower])
                    #expect(batch.events.count <= limits[follower])
                    seen[follower] += batch.events.map(\.id)
                    positions[follower] = batch.position
                }
            }
            #expect(seen[0] == direct)
            #expect(seen[1] == direct)
            #expect(try await tail.committedEvents(after: positions[1], limit: 5).events.isEmpty)
        }
    }
}
