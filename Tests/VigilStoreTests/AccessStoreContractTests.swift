import Foundation
import Testing
import VigilCore

/// The admin guard, API keys and login throttling, identical on every engine.
@Suite struct AccessStoreContractTests {
    @Test(arguments: StoreBackend.available)
    func lastEnabledAdminIsGuarded(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let root = Fixtures.user("root", role: .admin)
            let other = Fixtures.user("other", role: .admin)
            try await store.createUser(root)
            try await store.createUser(other)
            let demoted = try #require(try await store.updateUser(id: other.id, UserChange(role: .analyst), now: Fixtures.base))
            #expect(demoted.after.role == .analyst)
            #expect(demoted.after.tokenVersion == other.tokenVersion + 1)
            await #expect(
                throws: VigilError.conflict(code: "last_admin", detail: "This is the last enabled admin; create or enable another admin first.")
            ) {
                _ = try await store.updateUser(id: root.id, UserChange(disabled: true), now: Fixtures.base)
            }
            await #expect(throws: VigilError.self) { _ = try await store.deleteUser(id: root.id) }
            #expect(try await store.deleteUser(id: other.id)?.id == other.id)
            #expect(try await store.user(id: other.id) == nil)
            #expect(try await store.updateUser(id: other.id, UserChange(role: .admin), now: Fixtures.base) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func apiKeysAreNamedUniquelyWhileActive(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            func key(_ name: String, hash: String) -> APIKey {
                APIKey(
                    id: UUID.v7(),
                    name: name,
                    prefix: "vgl_abcd",
                    keyHash: hash,
                    scopes: [.eventsWrite, .eventsRead],
                    createdBy: "user:admin",
                    createdAt: Fixtures.base,
                    expiresAt: Fixtures.base.adding(seconds: 3600)
                )
            }
            let first = key("collector", hash: "h1")
            try await store.createAPIKey(first)
            await #expect(throws: VigilError.self) { try await store.createAPIKey(key("collector", hash: "h2")) }
            #expect(try await store.apiKey(hash: "h1") == first)
            try await store.touchAPIKey(id: first.id, at: Fixtures.base.adding(seconds: 5))
            try await store.touchAPIKey(id: first.id, at: Fixtures.base.adding(seconds: 2))
            #expect(try await store.apiKey(hash: "h1")?.lastUsedAt == Fixtures.base.adding(seconds: 5))
            let revoked = try #require(try await store.revokeAPIKey(id: first.id, now: Fixtures.base.adding(seconds: 9)))
            #expect(revoked.revokedAt == Fixtures.base.adding(seconds: 9))
            #expect(try await store.revokeAPIKey(id: first.id, now: Fixtures.base) == nil)
            try await store.createAPIKey(key("collector", hash: "h3"))
            #expect(try await store.apiKeys().count == 2)
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentLoginFailuresAreAllCounted(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let policy = LoginThrottlePolicy(ipFailuresPerMinute: 100, userFailuresBeforeBackoff: 5, maxBackoffSeconds: 900)
            let keys = [LoginThrottleKey(.ip, "10.0.0.1"), LoginThrottleKey(.user, "Mallory")]
            let now = Timestamp.now()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask { _ = try await store.recordLoginFailure(keys, policy: policy, now: now) }
                }
                try await group.waitForAll()
            }
            let states = try await store.recordLoginFailure(keys, policy: policy, now: now)
            #expect(states.map(\.count) == [21, 21])
            #expect(try await store.blockedUntil(keys, now: now) == now.adding(seconds: 900))
            try await store.clearLoginFailures(keys[1])
            #expect(try await store.blockedUntil([keys[1]], now: now) == nil)
            #expect(try await store.blockedUntil([keys[0]], now: now) == nil)
        }
    }
}
