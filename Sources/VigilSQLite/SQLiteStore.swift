import Logging
import SQLiteNIO
import VigilCore

/// Vigil's storage on SQLite: implements every store port of `VigilCore` over one
/// `SQLiteDatabasePool`. Engine-specific choices: a word index kept by a follower of the log
/// for full text (`SQLiteStore+WordIndex`), JSON1 for details,
/// a 16-byte blob of the address for CIDR range scans, microsecond integers for time.
public struct SQLiteStore: Sendable {
    public let pool: SQLiteDatabasePool
    let logger: Logger

    public init(pool: SQLiteDatabasePool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Opens the database at `location` and (unless `migrate` is false) applies pending migrations.
    public static func open(
        _ location: SQLiteLocation,
        options: SQLiteDatabasePool.Options = .init(),
        migrate: Bool = true,
        logger: Logger
    ) async throws -> SQLiteStore {
        let pool = try await SQLiteDatabasePool.open(location, options: options, logger: logger)
        do {
            if migrate { _ = try await SQLiteMigrations.migrate(pool, logger: logger) }
        } catch {
            await pool.close()
            throw error
        }
        return SQLiteStore(pool: pool, logger: logger)
    }

    /// Applies pending migrations; returns the versions applied.
    public func migrate() async throws -> [Int] {
        try await SQLiteMigrations.migrate(self.pool, logger: self.logger)
    }

    /// Succeeds when the database answers a trivial query.
    public func ping() async throws {
        _ = try await self.pool.read { try await $0.query("SELECT 1") }
    }

    public func close() async {
        await self.pool.close()
    }
}

extension SQLiteRow {
    func string(_ name: String) -> String? {
        guard let data = self.column(name), !data.isNull else { return nil }
        return data.string
    }

    func int64(_ name: String) -> Int64 {
        Int64(self.column(name)?.integer ?? 0)
    }
}

extension Optional where Wrapped == String {
    var sqlite: SQLiteData {
        switch self {
        case .some(let text): .text(text)
        case .none: .null
        }
    }
}
