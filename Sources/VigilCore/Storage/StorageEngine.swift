import Logging
import Metrics
import ServiceLifecycle

/// Every store port of `VigilCore`, served by one engine: the one spelling of "the database"
/// for the composition root, the CLI and the contract suite.
public typealias StoragePorts = UserStore & EventStore & RefreshTokenStore & SettingsStore & APIKeyStore & LoginThrottleStore
    & RuleStore & AlertStore & EventLogReader & ChannelStore & OutboxStore & StatsStore & LedgerStore & RetentionStore

/// One database engine as the rest of Vigil sees it: the ports, plus its life (open, migrate,
/// ping, close), the writer's tuning, and the background services it needs. Each adapter
/// conforms in its own module, so the composition root wires an engine without knowing which,
/// and a new engine is one new module plus one entry in the list of engines.
public protocol StorageEngine: StoragePorts {
    /// Opens (creating if needed) the database `url` names and, unless `migrate` is false,
    /// applies pending migrations. Nil when `url` is not this engine's; throws
    /// `StartupError` when it is, but is malformed or unreachable.
    static func open(url: String, options: StorageOptions, migrate: Bool, logger: Logger) async throws -> Self?

    /// Human-readable engine name for logs (no secrets).
    var engineDescription: String { get }
    /// The largest group commit the engine writes in one statement.
    var preferredBatchEvents: Int { get }
    /// Group commits the engine usefully runs at once.
    var concurrentCommits: Int { get }

    /// Succeeds when the database answers a trivial query.
    func ping() async throws
    /// Applies pending migrations; returns the versions applied (empty when up to date).
    func migrate() async throws -> [Int]
    /// Releases the database; the store must not be used afterwards.
    func close() async

    /// Writes a consistent copy of the whole database to a new file at `path` (mode 0600) while
    /// it stays in use; throws `StartupError` naming the engine's own tool when it has none.
    func backup(to path: String) async throws

    /// Services that run for the life of the server: the engine runs `exclusive` work in
    /// exactly one process per database (electing it if several nodes share one) beside its
    /// own maintenance.
    func backgroundServices(exclusive: [ExclusiveWork], metrics: any MetricsFactory) -> [any Service]
}
