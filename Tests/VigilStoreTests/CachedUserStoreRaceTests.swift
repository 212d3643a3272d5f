import Foundation
import Synchronization
import Testing
import VigilCore

/// F19: a lookup that read a user before a change committed cached its stale copy after the
/// change's eviction, so a demoted or disabled user kept working from the cache.
@Suite struct CachedUserStoreRaceTests {
    /// Holds the next lookup by id after it read, until released.
    final class HeldReads: UserStore, Sendable {
        let inner: any UserStore
        let hold = Mutex<(armed: Bool, reading: Bool, release: CheckedContinuation<Void, Never>?)>((false, false, nil))

        init(_ inner: any UserStore) { self.inner = inner }
        func createUser(_ user: User) async throws { try await self.inner.createUser(user) }
        func createFirstUser(_ user: User) async throws -> Bool { try await self.inner.createFirstUser(user) }
        func user(id: UUID) async throws -> User? {
            let user = try await self.inner.user(id: id)
            let held = self.hold.withLock { state in
                defer { state.armed = false }
                return state.armed
            }
            if held {
                await withCheckedContinuation { continuation in
                    self.hold.withLock { state in
                        state.reading = true
                        state.release = continuation
                    }
                }
            }
            return user
        }
        func user(username: String) async throws -> User? { try await self.inner.user(username: username) }
        func users() async throws -> [User] { try await self.inner.users() }
        func updateUser(id: UUID, _ change: UserChange, now: Timestamp) async throws -> (before: User, after: User)? {
            try await self.inner.updateUser(id: id, change, now: now)
        }
        func deleteUser(id: UUID) async throws -> User? { try await self.inner.deleteUser(id: id) }
    }

    @Test func aLookupThatRacedAChangeDoesNotCacheTheOldCopy() async throws {
        try await StoreBackend.sqliteMemory.withStore { (store: any ContractStore) async throws in
            let held = HeldReads(store)
            let cache = CachedUserStore(held, ttl: .seconds(60))
            let user = Fixtures.user("grace", role: .analyst)
            try await cache.createUser(user)
            held.hold.withLock { $0.armed = true }
            let stale = Task { try await cache.user(id: user.id) }
            try await eventually("the lookup to have read") { held.hold.withLock { $0.reading } }
            _ = try await cache.updateUser(id: user.id, UserChange(disabled: true), now: .now())
            held.hold.withLock { $0.release }?.resume()
            #expect(try await stale.value?.disabled == false)
            #expect(try await cache.user(id: user.id)?.disabled == true, "the stale copy was cached")
        }
    }
}
