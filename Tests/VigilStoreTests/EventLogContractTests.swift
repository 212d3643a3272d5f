import Foundation
import Testing
import VigilCore

/// Following the committed log from a position: every event exactly once, in commit order.
@Suite struct EventLogContractTests {
    /// Follows the log from `start` until `expected` events were seen, polling like a follower:
    /// on PostgreSQL any transaction running in the cluster (another test's database included)
    /// holds the visible end of the log back until it ends.
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
}
