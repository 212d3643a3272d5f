import Logging
import VigilCore
import VigilSQLite

/// The database behind one Vigil process, chosen by `VIGIL_DATABASE_URL`, seen through the
/// ports of `VigilCore`.
public struct Storage: Sendable {
    public let users: any UserStore
    public let events: any EventStore
    public let refreshTokens: any RefreshTokenStore
    public let settings: any SettingsStore
    public let apiKeys: any APIKeyStore
    public let loginThrottle: any LoginThrottleStore
    /// The largest group commit the engine writes in one statement.
    public let preferredBatchEvents: Int
    let pingDatabase: @Sendable () async throws -> Void
    let applyMigrations: @Sendable () async throws -> [Int]
    let closeDatabase: @Sendable () async -> Void

    /// Opens (creating if needed) the database named by `databaseURL` and, unless `migrate` is
    /// false, applies pending migrations.
    public static func open(
        databaseURL: String,
        sqliteSynchronousFull: Bool = true,
        migrate: Bool = true,
        logger: Logger
    ) async throws
        -> Storage
    {
        if let location = SQLiteLocation(url: databaseURL) {
            let store = try await SQLiteStore.open(
                location,
                options: .init(synchronousFull: sqliteSynchronousFull),
                migrate: migrate,
                logger: logger
            )
            return Storage(
                users: store,
                events: store,
                refreshTokens: store,
                settings: store,
                apiKeys: store,
                loginThrottle: store,
                preferredBatchEvents: SQLiteStore.rowsPerInsert,
                pingDatabase: { try await store.ping() },
                applyMigrations: { try await store.migrate() },
                closeDatabase: { await store.close() }
            )
        }
        if databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") {
            throw StartupError("PostgreSQL is not supported by this build yet; use sqlite:///path/to/vigil.sqlite or sqlite::memory:.")
        }
        throw StartupError("VIGIL_DATABASE_URL must look like sqlite:///abs/path.sqlite or sqlite::memory:.")
    }

    public func ping() async throws { try await self.pingDatabase() }

    /// Applies pending migrations; returns the versions applied (empty when up to date).
    public func migrate() async throws -> [Int] { try await self.applyMigrations() }

    public func close() async { await self.closeDatabase() }
}

/// A configuration or environment problem that stops Vigil from starting; `message` is meant
/// for the operator.
public struct StartupError: Error, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}
