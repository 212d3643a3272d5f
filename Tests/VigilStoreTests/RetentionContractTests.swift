import Foundation
import Metrics
import Testing
import VigilCore
import VigilPostgres
import VigilSQLite

/// Retention on every engine: what expires goes, what a rule, a hold or the sealer keeps
/// stays, each deletion writes its record, and the ledger still verifies afterwards.
@Suite struct RetentionContractTests {
    static let day: Int64 = 86_400
    static let policy = RetentionPolicy(
        defaultDays: 30,
        rules: [
            .init(selector: .typePrefix("auth."), days: 365),
            .init(selector: .severity(.critical), days: 730),
            .init(selector: .type("app.trace"), days: 2),
        ]
    )

    static func worker(_ store: any ContractStore, requireSealed: Bool = true) -> RetentionWorker {
        RetentionWorker(
            store: store,
            policy: Self.policy,
            configuration: .init(pageSize: 3, requireSealed: requireSealed),
            logger: StoreBackend.logger,
            metrics: NOOPMetricsHandler.instance
        )
    }

    static func write(_ store: any ContractStore, _ events: [PreparedEvent]) async throws -> [UUID] {
        _ = try await store.write([events])
        return events.map(\.event.id)
    }

    @Test(arguments: StoreBackend.available)
    func expiredEventsGoAndTheLedgerStillVerifies(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let old = -100 * Self.day
            let debug = try await Self.write(store, (0..<5).map { Fixtures.event("app.debug", at: old + Int64($0)) })
            let trace = try await Self.write(store, (0..<2).map { Fixtures.event("app.trace", at: -3 * Self.day + Int64($0)) })
            let kept = try await Self.write(
                store,
                (0..<3).map { Fixtures.event("auth.login.failed", at: old + Int64($0)) }
                    + (0..<2).map { Fixtures.event("app.debug", at: old + Int64($0), severity: .critical) }
                    + (0..<4).map { Fixtures.event("app.debug", at: -Self.day + Int64($0)) }
            )
            let held = try await Self.write(store, (0..<2).map { Fixtures.event("app.debug", at: old + Int64($0), actor: "suspect") })
            _ = try await LedgerContractTests.seal(store, until: 18)
            let unsealed = try await Self.write(store, [Fixtures.event("app.debug", at: old)])
            let hold = RetentionHold(
                id: UUID.v7(),
                name: "case 42",
                reason: nil,
                from: nil,
                to: nil,
                type: nil,
                actor: "suspect",
                entityID: nil,
                createdBy: "test",
                createdAt: Fixtures.base
            )
            try await store.insertRetentionHold(hold)
            #expect(try await store.retentionHolds() == [hold])

            let outcome = try await Self.worker(store).runOnce(now: Fixtures.base)
            #expect(outcome.deleted == 7 && outcome.held == 2 && outcome.unsealed == 1 && outcome.partitionsDropped.isEmpty)
            for id in debug + trace { #expect(try await store.event(id: id) == nil) }
            for id in kept + held + unsealed { #expect(try await store.event(id: id) != nil) }
            var query = EventQuery()
            query.types = [AuditEventType.retentionDeleted.rawValue]
            let records = try await store.events(matching: query).items
            #expect(records.count >= 1 && records.allSatisfy { $0.actor == "vigil" })

            // The records and the late event are sealed in turn; every deletion is accounted for.
            let state = try await LedgerContractTests.seal(store, until: 19 + records.count)
            let key = try #require(try await store.ledgerKeys().first)
            let report = try await LedgerAudit(store: store, trustedKeys: [(key.name, key.publicKey)]).run()
            #expect(report.findings.isEmpty, "\(report.findings)")
            #expect(report.pruned == 7 && report.verified == state.frontier.size - 7)
            // The next run deletes the event that was waiting for the sealer.
            let again = try await Self.worker(store).runOnce(now: Fixtures.base)
            #expect(again.deleted == 1 && again.unsealed == 0)

            // An event removed behind Vigil's back and passed off as retention's is still named.
            let victim = kept[0]
            let victimLeaf = try #require(try await store.ledgerLeaf(eventID: victim)).index
            let record = try #require(records.first)
            try await DamagedRowContractTests.damage(store, "DELETE FROM events WHERE id = '\(victim.lowercased)'")
            try await DamagedRowContractTests.damage(
                store,
                store is PostgresStore
                    ? "INSERT INTO ledger_pruned (leaf_index, record_id) VALUES (\(victimLeaf), '\(record.id.lowercased)')"
                    : "UPDATE ledger_leaves SET pruned_by = '\(record.id.lowercased)' WHERE event_id = '\(victim.lowercased)'"
            )
            let tampered = try await LedgerAudit(store: store, trustedKeys: [(key.name, key.publicKey)]).run()
            #expect(tampered.findings.contains(.deleted(eventID: victim, leaf: victimLeaf)))
        }
    }

    @Test(arguments: StoreBackend.available)
    func holdsAreListedAndReleased(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let hold = RetentionHold(
                id: UUID.v7(),
                name: "audit 2026",
                reason: "regulator",
                from: Fixtures.base,
                to: Fixtures.base.adding(seconds: 86_400),
                type: "auth.*",
                actor: nil,
                entityID: "e-1",
                createdBy: "admin",
                createdAt: Fixtures.base
            )
            try await store.insertRetentionHold(hold)
            #expect(try await store.retentionHolds() == [hold])
            #expect(try await store.deleteRetentionHold(id: hold.id) == hold)
            #expect(try await store.deleteRetentionHold(id: hold.id) == nil)
            #expect(try await store.retentionHolds().isEmpty)
        }
    }

    /// PostgreSQL drops a month whose every event has expired in one statement, keeping the
    /// leaves; a hold over that month makes it go row by row instead.
    @Test(arguments: StoreBackend.available.filter { $0 == .postgres })
    func wholeExpiredMonthsAreDropped(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let postgres = try #require(store as? PostgresStore)
            let old = -800 * Self.day
            let created = try await PostgresPartitions.ensure(
                postgres.client,
                now: Fixtures.base.adding(seconds: old),
                monthsAhead: 0,
                logger: StoreBackend.logger
            )
            #expect(created.count == 2)
            let doomed = try await Self.write(store, (0..<6).map { Fixtures.event("auth.login.failed", at: old + Int64($0), severity: .critical) })
            let recent = try await Self.write(store, [Fixtures.event("app.debug", at: -Self.day)])
            _ = try await LedgerContractTests.seal(store, until: 7)
            let outcome = try await Self.worker(store).runOnce(now: Fixtures.base)
            #expect(outcome.deleted == 6 && outcome.partitionsDropped.count == 1)
            for id in doomed { #expect(try await store.event(id: id) == nil) }
            #expect(try await store.event(id: recent[0]) != nil)
            _ = try await LedgerContractTests.seal(store, until: 8)
            let key = try #require(try await store.ledgerKeys().first)
            let report = try await LedgerAudit(store: store, trustedKeys: [(key.name, key.publicKey)]).run()
            #expect(report.findings.isEmpty && report.pruned == 6, "\(report.findings)")
        }
    }
}
