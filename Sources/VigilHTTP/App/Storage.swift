import Logging
import VigilCore
import VigilPostgres
import VigilSQLite

/// The database behind one Vigil process, chosen by `VIGIL_DATABASE_URL`. This is the one
/// place that lists the engines; everything else sees `any StorageEngine`.
public enum Storage {
    /// The engines Vigil can run on, asked in order whether a URL is theirs.
    static let engines: [any StorageEngine.Type] = [SQLiteStore.self, PostgresStore.self]

    /// Opens (creating if needed) the database named by `databaseURL` and, unless `migrate` is
    /// false, applies pending migrations.
    public static func open(
        databaseURL: String,
        options: StorageOptions = .init(),
        migrate: Bool = true,
        logger: Logger
    ) async throws -> any StorageEngine {
        for engine in Self.engines {
            if let store = try await engine.open(url: databaseURL, options: options, migrate: migrate, logger: logger) {
                return store
            }
        }
        throw StartupError(
            "VIGIL_DATABASE_URL must look like sqlite:///abs/path.sqlite, sqlite::memory: or postgres://user:password@host:port/database."
        )
    }

    /// Opens the database, runs `body` with it, and closes it whether `body` succeeds or not:
    /// the scope every command-line tool works in.
    public static func withStorage<T: Sendable>(
        databaseURL: String,
        options: StorageOptions = .init(),
        migrate: Bool = true,
        logger: Logger,
        _ body: (any StorageEngine) async throws -> T
    ) async throws -> T {
        let store = try await Self.open(databaseURL: databaseURL, options: options, migrate: migrate, logger: logger)
        let result = await Result { try await body(store) }
        await store.close()
        return try result.get()
    }
}
