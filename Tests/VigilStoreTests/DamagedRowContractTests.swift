import Foundation
import PostgresNIO
import SQLiteNIO
import Testing
import VigilCore
import VigilPostgres
import VigilSQLite

/// A stored row that does not decode fails loudly (`CorruptRow`) on every engine: a list never
/// silently omits it, and a lookup never mistakes it for "not found".
@Suite struct DamagedRowContractTests {
    /// Runs `sql` directly on the engine behind `store` (the damage no API can do).
    static func damage(_ store: any ContractStore, _ sql: String) async throws {
        if let sqlite = store as? SQLiteStore {
            try await sqlite.pool.writeAutocommit { _ = try await $0.query(sql) }
        } else if let postgres = store as? PostgresStore {
            try await postgres.client.query(PostgresQuery(unsafeSQL: sql), logger: StoreBackend.logger)
        } else {
            Issue.record("unknown engine")
        }
    }

    @Test(arguments: StoreBackend.available)
    func aRuleThatDoesNotDecodeFailsTheList(backend: StoreBackend) async throws {
        try await backend.withStore { (store: any ContractStore) async throws in
            #expect(try await store.installRulesOnce(Rule.builtIn(now: Fixtures.base)))
            let victim = try #require(try await store.rules().first)
            try await Self.damage(store, "UPDATE rules SET definition = '{}' WHERE id = '\(victim.id.lowercased)'")
            await #expect(throws: CorruptRow.self) { _ = try await store.rules() }
            await #expect(throws: CorruptRow.self) { _ = try await store.rule(id: victim.id) }
        }
    }

    /// SQLite stores ids as text, so a refresh token's row can be damaged there (PostgreSQL's
    /// uuid columns cannot hold such a value); presenting it is an error, not "invalid token".
    @Test(arguments: [StoreBackend.sqliteMemory, .sqliteFile])
    func aRefreshTokenThatDoesNotDecodeIsAnError(backend: StoreBackend) async throws {
        try await backend.withStore { (store: any ContractStore) async throws in
            let owner = Fixtures.user("ada")
            try await store.createUser(owner)
            let issued = RefreshTokenRecord.Successor(id: UUID.v7(), tokenHash: "hash-1", expiresAt: Fixtures.base.adding(seconds: 600))
            try await store.insertRefreshToken(RefreshTokenRecord(issued, userID: owner.id, familyID: UUID.v7(), createdAt: Fixtures.base))
            try await Self.damage(store, "UPDATE refresh_tokens SET family_id = 'not-a-uuid'")
            let next = RefreshTokenRecord.Successor(id: UUID.v7(), tokenHash: "hash-2", expiresAt: Fixtures.base.adding(seconds: 900))
            await #expect(throws: CorruptRow.self) { _ = try await store.rotateRefreshToken(hash: "hash-1", successor: next, now: Fixtures.base) }
            await #expect(throws: CorruptRow.self) { _ = try await store.revokeRefreshFamily(hash: "hash-1", now: Fixtures.base) }
        }
    }

    @Test func enginesClaimOnlyTheirOwnURLs() async throws {
        let options = StorageOptions()
        let sqlite = try await SQLiteStore.open(url: "sqlite::memory:", options: options, migrate: true, logger: StoreBackend.logger)
        let engine = try #require(sqlite)
        #expect(engine.engineDescription == "sqlite")
        #expect(engine.concurrentCommits == 1)
        await engine.close()
        #expect(try await SQLiteStore.open(url: "postgres://u:p@127.0.0.1:1/db", options: options, migrate: true, logger: StoreBackend.logger) == nil)
        #expect(try await PostgresStore.open(url: "sqlite::memory:", options: options, migrate: true, logger: StoreBackend.logger) == nil)
        // A URL that is PostgreSQL's but malformed is the operator's error, said at startup.
        await #expect(throws: StartupError.self) {
            _ = try await PostgresStore.open(url: "postgres://u:p@127.0.0.1:99999/db", options: options, migrate: true, logger: StoreBackend.logger)
        }
    }
}
