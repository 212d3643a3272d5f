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
            let store = try await PostgresClusterTests.open(url)
            for statement in Self.backToVersion11 { try await DamagedRowContractTests.damage(store, statement) }
            try await AlertCountsContractTests.expectCountedAfterTheUpgrade(
                store,
                reopen: { try await PostgresClusterTests.open(url) },
                close: { await $0.close() }
            )
        }
    }
}
