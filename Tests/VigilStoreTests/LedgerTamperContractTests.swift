import Foundation
import Testing
import VigilCore
import VigilPostgres
import VigilSQLite

/// Changes made directly in the database, below Vigil, each named by `LedgerAudit`.
@Suite struct LedgerTamperContractTests {
    enum Tamper: String, CaseIterable, Sendable {
        case none, modify, delete, insert, insertOutOfReach, reorder, rewriteHash
    }

    static var cases: [(StoreBackend, Tamper)] {
        StoreBackend.available.flatMap { backend in Tamper.allCases.map { (backend, $0) } }
    }

    @Test(arguments: Self.cases)
    func auditNamesTheChange(backend: StoreBackend, tamper: Tamper) async throws {
        try await backend.withStore { store in
            let ids = try await LedgerContractTests.write(store, 10, "a") + LedgerContractTests.write(store, 10, "b")
            _ = try await LedgerContractTests.seal(store, until: 20)
            let key = try #require(try await store.ledgerKeys().first)
            let victim = ids[7]
            let inserted = UUID.v7()
            let postgres = store is PostgresStore
            switch tamper {
            case .none: break
            case .modify:
                try await DamagedRowContractTests.damage(store, "UPDATE events SET description = 'nothing to see' WHERE id = '\(victim.lowercased)'")
            case .delete:
                try await DamagedRowContractTests.damage(store, "DELETE FROM events WHERE id = '\(victim.lowercased)'")
            case .insert:
                // Planted among the sealed events: the oldest log position there is.
                try await DamagedRowContractTests.damage(
                    store,
                    postgres
                        ? "WITH src AS (SELECT e FROM events e ORDER BY tx, id LIMIT 1) INSERT INTO events SELECT (jsonb_populate_record(src.e, jsonb_build_object('id', '\(inserted.lowercased)'))).* FROM src"
                        : "INSERT INTO events (seq, id, type, occurred_at, received_at, severity, outcome, details, ingested_by, content_hash) SELECT 0, '\(inserted.lowercased)', type, occurred_at, received_at, severity, outcome, details, ingested_by, content_hash FROM events ORDER BY seq LIMIT 1"
                )
            case .insertOutOfReach:
                // Where the log never reads: a transaction id from the future on PostgreSQL; on
                // SQLite a negative seq, which the log does read.
                try await DamagedRowContractTests.damage(
                    store,
                    postgres
                        ? "WITH src AS (SELECT e FROM events e ORDER BY tx, id LIMIT 1) INSERT INTO events SELECT (jsonb_populate_record(src.e, jsonb_build_object('id', '\(inserted.lowercased)', 'tx', '9223372036854775000'))).* FROM src"
                        : "INSERT INTO events (seq, id, type, occurred_at, received_at, severity, outcome, details, ingested_by, content_hash) SELECT -5, '\(inserted.lowercased)', type, occurred_at, received_at, severity, outcome, details, ingested_by, content_hash FROM events ORDER BY seq LIMIT 1"
                )
            case .reorder:
                try await DamagedRowContractTests.damage(
                    store,
                    postgres
                        ? "UPDATE events SET tx = pg_current_xact_id() WHERE id = '\(victim.lowercased)'"
                        : "UPDATE events SET seq = (SELECT max(seq) + 1 FROM events) WHERE id = '\(victim.lowercased)'"
                )
            case .rewriteHash:
                // The careful forger: changes the event and its stored leaf hash to match.
                try await DamagedRowContractTests.damage(store, "UPDATE events SET description = 'nothing to see' WHERE id = '\(victim.lowercased)'")
                let event = try #require(try await store.event(id: victim))
                let hex = Hex.encode(Merkle.leafHash(event.json.utf8))
                let leaf = try #require(try await store.ledgerLeaf(eventID: victim)).index
                try await DamagedRowContractTests.damage(
                    store,
                    postgres
                        ? "UPDATE ledger_tiles SET hashes = overlay(hashes PLACING '\\x\(hex)'::bytea FROM \(leaf % 256 * 32 + 1) FOR 32) WHERE tile_index = \(leaf / 256)"
                        : "UPDATE ledger_leaves SET leaf_hash = X'\(hex)' WHERE event_id = '\(victim.lowercased)'"
                )
            }
            let report = try await Self.audit(store, key: key, settle: tamper != .insertOutOfReach)
            switch tamper {
            case .none: #expect(report.findings.isEmpty && report.verified == 20)
            case .modify: #expect(report.findings == [.modified(eventID: victim, leaf: 7)])
            case .delete: #expect(report.findings == [.deleted(eventID: victim, leaf: 7)])
            case .insert: #expect(report.findings == [.inserted(eventID: inserted)])
            case .insertOutOfReach: #expect(report.findings == [postgres ? .unreachable(count: 1) : .inserted(eventID: inserted)])
            case .reorder: #expect(report.findings == [.reordered(eventID: victim, leaf: 7)])
            case .rewriteHash:
                // The first signed root that contains leaf 7 (one checkpoint or two, as sealing went).
                guard report.findings.count == 1, case .rootMismatch(_, let range) = report.findings[0] else {
                    Issue.record("\(report.findings)")
                    return
                }
                #expect(range.contains(7))
            }
        }
    }

    /// PostgreSQL shows a row only once every older transaction in its database has ended, so
    /// a row just moved may take a moment to appear where it now is (until then it is
    /// unreachable; with `settle`, the audit is repeated until it is not).
    static func audit(_ store: any ContractStore, key: LedgerKeyRecord, settle: Bool) async throws -> LedgerReport {
        let audit = LedgerAudit(store: store, trustedKeys: [(key.name, key.publicKey)])
        var report = try await audit.run()
        let deadline = ContinuousClock.now + .seconds(10)
        func unsettled(_ report: LedgerReport) -> Bool {
            settle && report.findings.contains { if case .unreachable = $0 { true } else { false } }
        }
        while report.verified + report.findings.count < 20 || unsettled(report), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            report = try await audit.run()
        }
        return report
    }
}
