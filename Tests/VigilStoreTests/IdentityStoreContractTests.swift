import Foundation
import Testing
import VigilCore

@Suite struct IdentityStoreContractTests {
    @Test(arguments: StoreBackend.available)
    func usernamesAreUniqueIgnoringCase(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = Fixtures.user("Alice")
            try await store.createUser(alice)
            await #expect(throws: VigilError.self) { try await store.createUser(Fixtures.user("alice")) }
            #expect(try await store.user(username: "ALICE") == alice)
            #expect(try await store.user(id: alice.id) == alice)
            #expect(try await store.user(username: "nobody") == nil)
            #expect(try await store.users().map(\.username) == ["Alice"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func firstUserIsCreatedOnce(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let created = try await store.createFirstUser(Fixtures.user("admin", role: .admin))
            let createdAgain = try await store.createFirstUser(Fixtures.user("admin2", role: .admin))
            let count = try await store.users().count
            #expect(created)
            #expect(!createdAgain)
            #expect(count == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func settingsInsertOnce(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.setting("k", orInsert: { "first" })
            let second = try await store.setting("k", orInsert: { "second" })
            #expect(first == "first")
            #expect(second == "first")
        }
    }

    @Test(arguments: StoreBackend.available)
    func refreshTokensRotateAndReuseRevokesFamily(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let user = Fixtures.user("dave")
            try await store.createUser(user)
            let now = Fixtures.base
            let family = UUID()
            let first = RefreshTokenRecord(
                id: UUID(),
                userID: user.id,
                familyID: family,
                tokenHash: "h1",
                createdAt: now,
                expiresAt: now.adding(seconds: 100)
            )
            try await store.insertRefreshToken(first)
            let second = RefreshTokenRecord.Successor(id: UUID(), tokenHash: "h2", expiresAt: now.adding(seconds: 100))
            #expect(try await store.rotateRefreshToken(hash: "h1", successor: second, now: now) == .rotated(old: first))
            // h1 is retired: presenting it again is reuse and revokes the family, h2 included.
            let third = RefreshTokenRecord.Successor(id: UUID(), tokenHash: "h3", expiresAt: now.adding(seconds: 100))
            #expect(try await store.rotateRefreshToken(hash: "h1", successor: third, now: now) == .reused(first))
            #expect(try await store.rotateRefreshToken(hash: "h2", successor: third, now: now) == .invalid)
            #expect(try await store.rotateRefreshToken(hash: "unknown", successor: third, now: now) == .invalid)
        }
    }

    @Test(arguments: StoreBackend.available)
    func expiredAndLoggedOutTokensAreInvalid(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let user = Fixtures.user("erin")
            try await store.createUser(user)
            let now = Fixtures.base
            let next = RefreshTokenRecord.Successor(id: UUID(), tokenHash: "n", expiresAt: now.adding(seconds: 100))
            try await store.insertRefreshToken(
                RefreshTokenRecord(id: UUID(), userID: user.id, familyID: UUID(), tokenHash: "old", createdAt: now, expiresAt: now.adding(seconds: 5))
            )
            #expect(try await store.rotateRefreshToken(hash: "old", successor: next, now: now.adding(seconds: 6)) == .invalid)
            try await store.insertRefreshToken(
                RefreshTokenRecord(
                    id: UUID(),
                    userID: user.id,
                    familyID: UUID(),
                    tokenHash: "live",
                    createdAt: now,
                    expiresAt: now.adding(seconds: 50)
                )
            )
            #expect(try await store.revokeRefreshFamily(hash: "live", now: now)?.tokenHash == "live")
            #expect(try await store.rotateRefreshToken(hash: "live", successor: next, now: now) == .invalid)
        }
    }
}
