import Foundation
import Testing
import VigilCore

/// The behaviour every `EventStore` must have, run against each backend.
@Suite struct EventStoreContractTests {
    @Test(arguments: StoreBackend.available)
    func writesAndReadsBack(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let item = Fixtures.event(
                "auth.login.failed",
                severity: .high,
                outcome: .failure,
                actor: "alice",
                source: "sshd",
                ip: "2001:db8::1",
                description: "bad password",
                details: #"{"port":22}"#,
                entityType: "account",
                entityID: "7",
                location: "Lagos"
            )
            let results = try await store.write([[item]])
            #expect(results == [.committed([.created(item.event)])])
            #expect(try await store.event(id: item.event.id) == item.event)
            #expect(try await store.event(id: UUID()) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func clientIDIsIdempotent(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let id = UUID()
            let first = Fixtures.event("a", id: id, actor: "x")
            _ = try await store.write([[first]])
            // Same content again (even received later) is a duplicate returning the stored event.
            var again = Fixtures.event("a", id: id, actor: "x")
            again.event.receivedAt = again.event.receivedAt.adding(seconds: 60)
            #expect(try await store.write([[again]]) == [.committed([.duplicate(first.event)])])
            // Different content under the same id is a conflict and writes nothing.
            let other = Fixtures.event("a", id: id, actor: "y")
            #expect(try await store.write([[other]]) == [.conflict([0])])
            #expect(try await store.event(id: id)?.actor == "x")
        }
    }

    @Test(arguments: StoreBackend.available)
    func submissionsAreAllOrNothingAndIndependent(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let taken = UUID()
            _ = try await store.write([[Fixtures.event("a", id: taken, actor: "x")]])
            let fresh = Fixtures.event("b")
            let clash = Fixtures.event("a", id: taken, actor: "other")
            let independent = Fixtures.event("c")
            let results = try await store.write([[fresh, clash], [independent]])
            #expect(results == [.conflict([1]), .committed([.created(independent.event)])])
            #expect(try await store.event(id: fresh.event.id) == nil)
            #expect(try await store.event(id: independent.event.id) != nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func sameIDTwiceInOneCall(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let id = UUID()
            let a = Fixtures.event("a", id: id)
            let results = try await store.write([[a, Fixtures.event("a", id: id)], [Fixtures.event("a", id: id)], [Fixtures.event("z", id: id)]])
            #expect(results == [.committed([.created(a.event), .duplicate(a.event)]), .committed([.duplicate(a.event)]), .conflict([0])])
            var all = EventQuery()
            all.limit = 100
            #expect(try await store.events(matching: all).items.count == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func largeBatch(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let batch = (0..<1200).map { Fixtures.event("bulk", at: Int64($0), actor: "a\($0 % 7)") }
            let results = try await store.write([batch])
            guard case .committed(let outcomes) = results.first else {
                Issue.record("batch not committed")
                return
            }
            #expect(outcomes.count == 1200)
            var query = EventQuery()
            query.limit = 1000
            query.actor = "a3"
            #expect(try await store.events(matching: query).items.count == 1200 / 7 + (1200 % 7 > 3 ? 1 : 0))
        }
    }
}

extension EventStoreContractTests {
    /// More rows than one statement holds: the store must still commit all or nothing per
    /// submission and report duplicates and conflicts as for small writes.
    @Test(arguments: StoreBackend.available)
    func writesLargerThanOneStatement(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let taken = UUID()
            _ = try await store.write([[Fixtures.event("seed", id: taken)]])
            let big = (0..<2500).map { Fixtures.event("big", at: Int64($0)) }
            let clash = [Fixtures.event("small"), Fixtures.event("changed", id: taken)]
            let more = (0..<1500).map { Fixtures.event("more", at: Int64($0)) } + [Fixtures.event("seed", id: taken)]
            let results = try await store.write([big, clash, more])
            #expect(results.count == 3)
            #expect(results[1] == .conflict([1]))
            guard case .committed(let outcomes) = results[2] else {
                Issue.record("third submission not committed")
                return
            }
            #expect(outcomes.last?.isDuplicate == true)
            var query = EventQuery()
            query.limit = 1000
            query.types = ["big", "more", "small"]
            var total = 0
            repeat {
                let page = try await store.events(matching: query)
                total += page.items.count
                query.cursor = page.nextCursor
            } while query.cursor != nil
            #expect(total == 4000)
        }
    }
}
