import Foundation
import Testing
import VigilCore
import VigilSQLite

/// SQLite's migration 12 counts the alerts a database already holds.
@Suite struct SQLiteAlertCountsMigrationTests {
    /// What migration 12 adds, removed again: the schema of a database written by 0.21.
    static let backToVersion11 = [
        "DROP TRIGGER alert_counts_insert", "DROP TRIGGER alert_counts_update", "DROP TRIGGER alert_counts_delete",
        "DROP TABLE alert_counts", "DELETE FROM schema_migrations WHERE version = 12",
    ]

    @Test func alertsStoredBeforeTheUpgradeAreCounted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-counts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = SQLiteLocation.file(path: directory.appendingPathComponent("test.sqlite").path)
        let store = try await SQLiteStore.open(location, logger: StoreBackend.logger)
        for statement in Self.backToVersion11 { try await DamagedRowContractTests.damage(store, statement) }
        try await AlertCountsContractTests.expectCountedAfterTheUpgrade(
            store,
            reopen: { try await SQLiteStore.open(location, logger: StoreBackend.logger) },
            close: { await $0.close() }
        )
    }
}
