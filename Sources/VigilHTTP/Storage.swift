import Logging
import Metrics
import ServiceLifecycle
import VigilCore
import VigilPostgres
import VigilSQLite

/// The database behind one Vigil process, chosen by `VIGIL_DATABASE_URL`, seen through the
/// ports of `VigilCore`. This is the one place that knows which engines exist.
public struct Storage: Sendable {
    public let users: any UserStore
    public let events: any EventStore
    public let refreshTokens: any RefreshTokenStore
    public let settings: any SettingsStore
    public let apiKeys: any APIKeyStore
    public let loginThrottle: any LoginThrottleStore
    public let rules: any RuleStore
    public let alerts: any AlertStore
    public let channels: any ChannelStore
    public let outbox: any OutboxStore
    public let log: any EventLogReader
    public let stats: any StatsStore
    /// The largest group commit the engine writes in one statement.
    public let preferredBatchEvents: Int
    /// Group commits the engine usefully runs at once.
    public let concurrentCommits: Int
    /// Human-readable engine name for logs (no secrets).
    public let engineDescription: String
    let pingDatabase: @Sendable () async throws -> Void
    let applyMigrations: @Sendable () async throws -> [Int]
    let closeDatabase: @Sendable () async -> Void
    let makeBackgroundServices: @Sendable (any MetricsFactory, [ExclusiveWork]) -> [any Service]

    /// Opens (creating if needed) the database named by `databaseURL` and, unless `migrate` is
    /// false, applies pending migrations.
    public static func open(
        databaseURL: String,
        options: StorageOptions = .init(),
        migrate: Bool = true,
        logger: Logger
    ) async throws
        -> Storage
    {
        if let location = SQLiteLocation(url: databaseURL) {
            let store = try await SQLiteStore.open(
                location,
                options: .init(synchronousFull: options.sqliteSynchronousFull),
                migrate: migrate,
                logger: logger
            )
            return Storage(
                store,
                preferredBatchEvents: SQLiteStore.rowsPerInsert,
                concurrentCommits: 1,
                engineDescription: "sqlite",
                pingDatabase: { try await store.ping() },
                applyMigrations: { try await store.migrate() },
                closeDatabase: { await store.close() },
                // One process owns a SQLite file: nothing to elect.
                makeBackgroundServices: { _, work in work.map(ExclusiveWorkService.init) }
            )
        }
        let location: PostgresLocation?
        do {
            location = try PostgresLocation(url: databaseURL)
        } catch {
            throw StartupError(error.message)
        }
        if let location {
            let store: PostgresStore
            do {
                store = try await PostgresStore.open(
                    location,
                    options: .init(poolSize: options.poolSize, timeout: .seconds(options.timeoutSeconds)),
                    migrate: migrate,
                    logger: logger
                )
            } catch let error as PostgresUnreachable {
                throw StartupError(error.description)
            }
            return Storage(
                store,
                preferredBatchEvents: PostgresStore.preferredBatchEvents,
                concurrentCommits: max(1, min(PostgresStore.concurrentCommits, options.poolSize / 2)),
                engineDescription: location.description,
                pingDatabase: { try await store.ping() },
                applyMigrations: { try await store.migrate() },
                closeDatabase: { await store.close() },
                makeBackgroundServices: { metrics, work in
                    [
                        PostgresLeadership(
                            store: store,
                            duties: [
                                .init(name: "partitions", interval: .seconds(3600)) {
                                    try await PostgresPartitions.ensure(store.client, logger: logger)
                                }
                            ],
                            workers: work,
                            metrics: metrics
                        )
                    ]
                }
            )
        }
        throw StartupError(
            "VIGIL_DATABASE_URL must look like sqlite:///abs/path.sqlite, sqlite::memory: or postgres://user:password@host:port/database."
        )
    }

    /// Every port served by one engine's store.
    private init(
        _ store: some UserStore & EventStore & RefreshTokenStore & SettingsStore & APIKeyStore & LoginThrottleStore & RuleStore & AlertStore
            & EventLogReader & ChannelStore & OutboxStore & StatsStore,
        preferredBatchEvents: Int,
        concurrentCommits: Int,
        engineDescription: String,
        pingDatabase: @escaping @Sendable () async throws -> Void,
        applyMigrations: @escaping @Sendable () async throws -> [Int],
        closeDatabase: @escaping @Sendable () async -> Void,
        makeBackgroundServices: @escaping @Sendable (any MetricsFactory, [ExclusiveWork]) -> [any Service]
    ) {
        self.users = store
        self.events = store
        self.refreshTokens = store
        self.settings = store
        self.apiKeys = store
        self.loginThrottle = store
        self.rules = store
        self.alerts = store
        self.channels = store
        self.outbox = store
        self.log = store
        self.stats = store
        self.preferredBatchEvents = preferredBatchEvents
        self.concurrentCommits = concurrentCommits
        self.engineDescription = engineDescription
        self.pingDatabase = pingDatabase
        self.applyMigrations = applyMigrations
        self.closeDatabase = closeDatabase
        self.makeBackgroundServices = makeBackgroundServices
    }

    public func ping() async throws { try await self.pingDatabase() }

    /// Applies pending migrations; returns the versions applied (empty when up to date).
    public func migrate() async throws -> [Int] { try await self.applyMigrations() }

    public func close() async { await self.closeDatabase() }

    /// Services that run for the life of the server: `exclusive` work runs in this process on
    /// SQLite, and on the elected leader on PostgreSQL (with partition maintenance).
    func backgroundServices(metrics: any MetricsFactory, exclusive: [ExclusiveWork]) -> [any Service] {
        self.makeBackgroundServices(metrics, exclusive)
    }
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
