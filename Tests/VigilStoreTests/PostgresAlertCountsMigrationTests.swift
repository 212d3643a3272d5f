import Foundation
import Testing
import VigilCore
import VigilPostgres
import VigilTestSupport

/// Migration 12 counts the alerts a database already holds.
@Suite(.enabled(if: ScratchPostgres.isConfigured, "set VIGIL_TEST_POSTGRES_URL to run the PostgreSQL suites"))
struct PostgresAlertCountsMigrationTests {
    /// What migration 12 adds, removed again: the schema of a database written by 0.21.
    static let backToVersion11 = [
        "DROP TRIGGER alerts_counted_insert ON alerts", "DROP TRIGGER alerts_counted_update ON alerts",
        "DROP TRIGGER alerts_counted_delete ON alerts", "DROP FUNCTION alert_counts_inserted()",
        "DROP FUNCTION alert_counts_updated()", "DROP FUNCTION alert_counts_deleted()", "DROP TABLE alert_counts",
        "DROP TABLE alert_count_deltas", "DELETE FROM schema_migrations WHERE version = 12",
    ]

    @Test func alertsStoredBeforeTheUpgradeAreCounted() async throws {
        try await ScratchPostgres.withDatabase { url in
            var store = try await PostgresClusterTests.open(url)
            for statement in Self.backToVersion11 { try await DamagedRowContractTests.damage(store, statement) }
            var engine = DetectionEngine(rules: [AlertStoreContractTests.bruteForce()])
            var checkpoint: DetectorCheckpoint?
            var ids: [UUID] = []
            for step in 0..<5 {
                let events = AlertStoreContractTests.failures(5, ip: "10.8.0.\(step)", from: Int64(step * 100))
                let now = Fixtures.base.adding(seconds: Int64(step) * 40_000 + 77)
                let (result, next) = try await AlertStoreContractTests.detect(store, events, engine: &engine, from: checkpoint, now: now)
                ids += result.opened.map(\.id)
                checkpoint = next
            }
            _ = try await store.updateAlert(
                id: ids[1],
                AlertUpdate(status: .resolved, note: "ok"),
                by: "ann",
                at: Fixtures.base.adding(seconds: 300_000)
            )
            await store.close()
            store = try await PostgresClusterTests.open(url)
            try await AlertCountsContractTests.expectExact(store, "after the upgrade")
            _ = try await store.updateAlert(
                id: ids[2],
                AlertUpdate(status: .dismissed, note: "no"),
                by: "ann",
                at: Fixtures.base.adding(seconds: 300_001)
            )
            try await AlertCountsContractTests.expectExact(store, "a change after the upgrade")
            await store.close()
        }
    }
}
