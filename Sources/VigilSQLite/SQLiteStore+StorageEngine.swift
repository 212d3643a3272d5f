import Logging
import Metrics
import ServiceLifecycle
import VigilCore

extension SQLiteStore: StorageEngine {
    /// `sqlite:///abs/path.sqlite` or `sqlite::memory:`; nil for any other URL.
    public static func open(url: String, options: StorageOptions, migrate: Bool, logger: Logger) async throws -> SQLiteStore? {
        guard let location = SQLiteLocation(url: url) else { return nil }
        return try await Self.open(location, options: .init(synchronousFull: options.sqliteSynchronousFull), migrate: migrate, logger: logger)
    }

    public var engineDescription: String { "sqlite" }

    public var preferredBatchEvents: Int { Self.rowsPerInsert }

    // One writer connection: a second commit would only wait for the first.
    public var concurrentCommits: Int { 1 }

    // One process owns a SQLite file: nothing to elect, no maintenance to schedule.
    public func backgroundServices(exclusive: [ExclusiveWork], metrics: any MetricsFactory) -> [any Service] {
        exclusive.map(ExclusiveWorkService.init)
    }
}
