import Foundation
import Logging
import Metrics
import Testing
import VigilCore
import VigilPostgres
import VigilSQLite

/// The ledger on every engine: the sealer's tree, its proofs, and `LedgerAudit` naming each
/// kind of change made directly in the database.
@Suite struct LedgerContractTests {
    static let origin = "test.vigil/ledger"

    static func sealer(_ store: any ContractStore) -> LedgerSealer {
        LedgerSealer(
            store: store,
            log: store,
            signer: LedgerSigner(source: .database),
            origin: Self.origin,
            logger: StoreBackend.logger,
            metrics: NOOPMetricsHandler.instance
        )
    }

    /// Seals until the tree holds `size` leaves (on PostgreSQL, another test's open
    /// transaction can hold the visible end of the log back for a moment).
    static func seal(_ store: any ContractStore, until size: Int) async throws -> LedgerState {
        let sealer = Self.sealer(store)
        var state = try await store.ledgerState() ?? LedgerState(origin: Self.origin)
        let deadline = ContinuousClock.now + .seconds(20)
        while state.frontier.size < size, ContinuousClock.now < deadline {
            let next = try await sealer.step(from: state)
            if next == state { try await Task.sleep(for: .milliseconds(20)) }
            state = next
        }
        #expect(state.frontier.size == size)
        return state
    }

    static func write(_ store: any ContractStore, _ count: Int, _ tag: String) async throws -> [UUID] {
        let events = (0..<count).map { Fixtures.event("ledger.\(tag)", at: Int64($0), description: "\(tag) \($0)") }
        _ = try await store.write([events])
        return events.map(\.event.id)
    }

    @Test(arguments: StoreBackend.available)
    func sealsEveryEventAndProvesIt(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            var heads: [LedgerState] = []
            var ids: [UUID] = []
            for (count, tag) in [(12, "a"), (1, "b"), (24, "c")] {
                ids += try await Self.write(store, count, tag)
                heads.append(try await Self.seal(store, until: ids.count))
            }
            let head = try #require(heads.last)
            let key = try #require(try await store.ledgerKeys().first)
            let checkpoint = try #require(Checkpoint.verified(note: head.checkpoint ?? "", name: key.name, publicKey: key.publicKey))
            #expect(checkpoint == Checkpoint(origin: Self.origin, size: 37, rootHash: head.frontier.root))
            let proofs = LedgerProofs(store: store)
            for id in ids {
                let event = try #require(try await store.event(id: id))
                let proof = try #require(try await proofs.inclusion(eventID: id))
                #expect(proof.treeSize == 37)
                #expect(
                    Merkle.verifyInclusion(
                        leaf: Merkle.leafHash(event.json.utf8),
                        index: proof.leafIndex,
                        size: 37,
                        proof: proof.path,
                        root: checkpoint.rootHash
                    )
                )
            }
            #expect(try await proofs.inclusion(eventID: UUID.v7()) == nil)
            for old in heads.dropLast() {
                let proof = try await proofs.consistency(from: old.frontier.size, to: 37)
                #expect(proof.fromRoot == old.frontier.root && proof.toRoot == head.frontier.root)
                #expect(
                    Merkle.verifyConsistency(
                        old: old.frontier.size,
                        new: 37,
                        oldRoot: old.frontier.root,
                        newRoot: head.frontier.root,
                        proof: proof.path
                    )
                )
            }
            // A sealer that read an older tree cannot write over a newer one.
            let stale = LedgerSeal(expectedSize: 12, leaves: [], nodes: [], state: heads[0], keepCheckpoint: false)
            await #expect(throws: VigilError.ledgerMoved) { try await store.commitSeal(stale) }
            let report = try await LedgerAudit(store: store, trustedKeys: [(key.name, key.publicKey)]).run()
            #expect(report.findings.isEmpty)
            #expect(report.verified == 37 && report.checkpoints >= 1 && report.unsealed == 0)
        }
    }

    @Test(arguments: StoreBackend.available)
    func rotationKeepsOldKeysPublishedAndSignsWithTheNewOne(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await Self.write(store, 3, "a")
            _ = try await Self.seal(store, until: 3)
            let first = try #require(try await store.ledgerKeys().first)
            let rotated = try await LedgerSigner.rotate(origin: Self.origin, store: store)
            _ = try await Self.write(store, 2, "b")
            let state = try await Self.seal(store, until: 5)
            let keys = try await store.ledgerKeys()
            #expect(keys.count == 2)
            #expect(keys.first { $0.keyID == first.keyID }?.retiredAt != nil)
            #expect(keys.first { $0.keyID == first.keyID }?.privateKey == nil, "a retired key can never sign again")
            #expect(Checkpoint.verified(note: state.checkpoint ?? "", name: Self.origin, publicKey: rotated.publicKey) != nil)
            // Checkpoints signed by the old key still verify with its published half.
            let report = try await LedgerAudit(store: store, trustedKeys: keys.map { ($0.name, $0.publicKey) }).run()
            #expect(report.findings.isEmpty && report.checkpoints >= 2)
        }
    }
}
