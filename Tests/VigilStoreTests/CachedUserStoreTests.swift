import Foundation
import Testing
import VigilCore

@Suite struct CachedUserStoreTests {
    /// Counts lookups by id so the test can tell cache hits from database reads.
    final class CountingUsers: UserStore, @unchecked Sendable {
        // Invariant: only touched from one test task at a time (the test awaits each call).
        let inner: any UserStore
        var reads = 0

        init(_ inner: any UserStore) { self.inner = inner }
        func createUser(_ user: User) async throws { try await self.inner.createUser(user) }
        func createFirstUser(_ user: User) async throws -> Bool { try await self.inner.createFirstUser(user) }
        func user(id: UUID) async throws -> User? {
            self.reads += 1
            return try await self.inner.user(id: id)
        }
        func user(username: String) async throws -> User? { try await self.inner.user(username: username) }
        func users() async throws -> [User] { try await self.inner.users() }
        func updateUser(id: UUID, _ change: UserChange, now: Timestamp) async throws -> (before: User, after: User)? {
            try await self.inner.updateUser(id: id, change, now: now)
        }
        func deleteUser(id: UUID) async throws -> User? { try await self.inner.deleteUser(id: id) }
    }

    @Test func servesRepeatedLookupsFromMemoryUntilTheyExpire() async throws {
        try await StoreBackend.sqliteMemory.withStore { store in
            let counting = CountingUsers(store)
            // Long enough that a loaded CI machine cannot expire entries between two lookups.
            let cache = CachedUserStore(counting, ttl: .seconds(2))
            let user = Fixtures.user("frank")
            try await cache.createUser(user)
            #expect(try await cache.user(id: user.id) == user)
            #expect(try await cache.user(id: user.id) == user)
            #expect(counting.reads == 1)
            // Unknown ids are cached too (a deleted user stays rejected without a read each time).
            let missing = UUID()
            #expect(try await cache.user(id: missing) == nil)
            #expect(try await cache.user(id: missing) == nil)
            #expect(counting.reads == 2)
            try await Task.sleep(for: .milliseconds(2100))
            _ = try await cache.user(id: user.id)
            #expect(counting.reads == 3)
            cache.evict(user.id)
            _ = try await cache.user(id: user.id)
            #expect(counting.reads == 4)
        }
    }
}
