import Foundation
import Testing
import VigilCore

/// F12: on PostgreSQL a revocation statement's snapshot could miss the successor a racing
/// rotation inserted, leaving a stolen token family alive after a password change.
@Suite struct RefreshRevocationRaceTests {
    static func successor(_ n: Int, now: Timestamp) -> RefreshTokenRecord.Successor {
        RefreshTokenRecord.Successor(id: UUID.v7(at: now), tokenHash: "hash-\(n)-\(UUID().uuidString)", expiresAt: now.adding(seconds: 3600))
    }

    @Test(arguments: StoreBackend.available)
    func noSuccessorOutlivesARacingRevocation(backend: StoreBackend) async throws {
        try await backend.withStore { (store: any ContractStore) async throws in
            let user = Fixtures.user("victim")
            try await store.createUser(user)
            for round in 0..<40 {
                let now = Timestamp.now()
                let first = Self.successor(round, now: now)
                try await store.insertRefreshToken(RefreshTokenRecord(first, userID: user.id, familyID: UUID.v7(), createdAt: now))
                let next = Self.successor(round + 1000, now: now)
                async let rotation = store.rotateRefreshToken(hash: first.tokenHash, successor: next, now: now)
                async let revocation = store.updateUser(id: user.id, UserChange(passwordHash: "changed-\(round)"), now: now)
                _ = try await (rotation, revocation)
                // Whichever committed first, the thief's newest token must be dead now.
                let after = try await store.rotateRefreshToken(hash: next.tokenHash, successor: Self.successor(round + 2000, now: now), now: now)
                #expect(after == .invalid, "round \(round): the successor survived the revocation")
            }
        }
    }
}
