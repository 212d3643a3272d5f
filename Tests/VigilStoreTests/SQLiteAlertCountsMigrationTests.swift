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
        var store = try await SQLiteStore.open(location, logger: StoreBackend.logger)
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
        #expect(ids.count == 5)
        _ = try await store.updateAlert(id: ids[1], AlertUpdate(status: .resolved, note: "ok"), by: "ann", at: Fixtures.base.adding(seconds: 300_000))
        await store.close()
        store = try await SQLiteStore.open(location, logger: StoreBackend.logger)
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
