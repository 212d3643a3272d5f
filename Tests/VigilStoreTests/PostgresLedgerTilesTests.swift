import Foundation
import Metrics
import PostgresNIO
import Testing
import VigilCore
import VigilPostgres
import VigilTestSupport

/// PostgreSQL keeps leaves in tiles of 256 (migration 11): a tree across several tiles, a
/// partial tile extended by the next seal, retention taking a tile's first leaf, and a database
/// sealed under the per-leaf rows of migration 10 converted in place — all still verify.
@Suite struct PostgresLedgerTilesTests {
    static let day: Int64 = 86_400

    @Test(.enabled(if: StoreBackend.available.contains(.postgres)))
    func leavesAcrossTilesSurviveRetentionAndTheMigration() async throws {
        try await ScratchPostgres.withDatabase { url in
            let location = try #require(try PostgresLocation(url: url))
            var store = try await PostgresStore.open(location, options: .init(timeout: .seconds(30)), logger: StoreBackend.logger)
            // Two commits of 300; within a commit the log (and the tree) is in id order, so
            // event i is leaf i. Leaves 250…261 expire (they straddle tiles 0 and 1).
            let ids = Self.sortedIDs(300) + Self.sortedIDs(300)
            let events = ids.enumerated().map { index, id in
                let expires = (250...261).contains(index)
                return Fixtures.event(expires ? "app.debug" : "app.kept", id: id, at: expires ? -100 * Self.day : -Self.day)
            }
            _ = try await store.write([Array(events.prefix(300))])
            _ = try await LedgerContractTests.seal(store, until: 300)
            _ = try await store.write([Array(events.dropFirst(300))])
            _ = try await LedgerContractTests.seal(store, until: 600)
            let expired = try await RetentionContractTests.worker(store).runOnce(now: Fixtures.base)
            #expect(expired.deleted == 12)
            var records = EventQuery()
            records.types = [AuditEventType.retentionDeleted.rawValue]
            let recordCount = try await store.events(matching: records).items.count
            _ = try await LedgerContractTests.seal(store, until: 600 + recordCount)
            let key = try #require(try await store.ledgerKeys().first)
            let before = try await Self.audit(store, key: key)
            #expect(before.pruned == 12 && before.verified >= 588)

            // Back to migration 10's rows, then forward again.
            for statement in Self.backToVersion10 { try await DamagedRowContractTests.damage(store, statement) }
            await store.close()
            store = try await PostgresStore.open(location, options: .init(timeout: .seconds(30)), logger: StoreBackend.logger)
            let after = try await Self.audit(store, key: key)
            #expect(after.pruned == before.pruned && after.verified == before.verified && after.treeSize == before.treeSize)
            let proofs = LedgerProofs(store: store)
            for index in [0, 249, 262, 300, 511, 512, 599] {
                let event = try #require(try await store.event(id: events[index].event.id))
                let proof = try #require(try await proofs.inclusion(eventID: event.id))
                #expect(proof.leafIndex == index)
                let root = try #require(try await proofs.head()).rootHash
                #expect(
                    Merkle.verifyInclusion(leaf: Merkle.leafHash(event.json.utf8), index: index, size: proof.treeSize, proof: proof.path, root: root)
                )
            }
            // Tile 1 starts at a deleted event: its position is its first stored event's.
            #expect(try await store.ledgerLeaf(eventID: events[262].event.id)?.index == 262)
            #expect(try await store.ledgerLeaf(eventID: events[255].event.id) == nil)
            // Sealing goes on into the partial tile and past it.
            let more = (0..<200).map { _ in Fixtures.event("app.kept", at: 0) }
            _ = try await store.write([more])
            _ = try await LedgerContractTests.seal(store, until: 800 + recordCount)
            let last = try await Self.audit(store, key: key)
            #expect(last.findings.isEmpty && last.pruned == 12)
            #expect(try await store.ledgerLeaf(eventID: more[199].event.id) != nil)
            await store.close()
        }
    }

    /// Fresh ids in PostgreSQL's uuid order (bytewise).
    static func sortedIDs(_ count: Int) -> [UUID] {
        (0..<count).map { _ in UUID.v7() }.sorted { left, right in
            withUnsafeBytes(of: left.uuid) { l in withUnsafeBytes(of: right.uuid) { r in l.lexicographicallyPrecedes(r) } }
        }
    }

    static func audit(_ store: PostgresStore, key: LedgerKeyRecord) async throws -> LedgerReport {
        let report = try await LedgerAudit(store: store, trustedKeys: [(key.name, key.publicKey)]).run()
        #expect(report.findings.isEmpty, "\(report.findings)")
        return report
    }

    /// Rebuilds `ledger_leaves` exactly as migration 10 made it from the tiles, and forgets
    /// migration 11.
    static let backToVersion10 = [
        """
        CREATE TABLE ledger_leaves (
            leaf_index bigint PRIMARY KEY,
            event_id uuid NOT NULL UNIQUE,
            leaf_hash bytea NOT NULL,
            pruned_by uuid
        )
        """,
        """
        INSERT INTO ledger_leaves (leaf_index, event_id, leaf_hash, pruned_by)
        SELECT t.tile_index * 256 + g.k, encode(substring(t.event_ids FROM g.k * 16 + 1 FOR 16), 'hex')::uuid,
            substring(t.hashes FROM g.k * 32 + 1 FOR 32), p.record_id
        FROM ledger_tiles t CROSS JOIN LATERAL generate_series(0, length(t.hashes) / 32 - 1) AS g(k)
        LEFT JOIN ledger_pruned p ON p.leaf_index = t.tile_index * 256 + g.k
        """,
        "DROP FUNCTION ledger_leaf_index(xid8, uuid)",
        "DROP TABLE ledger_tiles, ledger_pruned",
        "DELETE FROM schema_migrations WHERE version = 11",
    ]
}
