import Logging
import PostgresNIO
import VigilCore

/// Vigil's storage on PostgreSQL: implements every store port of `VigilCore` over one pooled
/// `PostgresClient`. Engine-specific choices: monthly partitions of `events`, `inet` with
/// CIDR containment, a `tsvector` GIN index for full text, a jsonb GIN index over `details`,
/// `COPY` for group commits, advisory locks for migrations and leadership.
///
/// Every call is bounded by `Options.timeout`; when the database is unreachable it fails with
/// `VigilError.unavailable` (503 + `Retry-After` at the edge) and recovers by itself when the
/// pool can connect again.
public struct PostgresStore: Sendable {
    public struct Options: Sendable {
        /// Connections in the pool.
        public var poolSize: Int
        /// The longest a caller waits for any database call (connecting included).
        public var timeout: Duration

        public init(poolSize: Int = 10, timeout: Duration = .seconds(5)) {
            self.poolSize = poolSize
            self.timeout = timeout
        }
    }

    public let client: PostgresClient
    let location: PostgresLocation
    let runner: ClientRunner
    let outage = OutageGate()
    let options: Options
    let logger: Logger

    /// Starts a client for `location` and (unless `migrate` is false) applies pending migrations
    /// and creates the partitions around the current month.
    public static func open(
        _ location: PostgresLocation,
        options: Options = .init(),
        migrate: Bool = true,
        logger: Logger
    ) async throws -> PostgresStore {
        // The pool logs every failed connection attempt at info; during an outage that is one
        // line per retry, so it only speaks at debug level and the store reports the outage once.
        var poolLogger = logger
        poolLogger.logLevel = logger.logLevel <= .debug ? logger.logLevel : .warning
        let client = PostgresClient(
            configuration: location.clientConfiguration(poolSize: options.poolSize, timeout: options.timeout),
            backgroundLogger: poolLogger
        )
        let store = PostgresStore(client: client, location: location, runner: ClientRunner(client), options: options, logger: logger)
        do {
            try await store.ping()
        } catch VigilError.unavailable {
            await store.close()
            throw PostgresUnreachable(location: location, reason: await location.diagnoseConnection(timeout: options.timeout, logger: logger))
        } catch {
            await store.close()
            throw error
        }
        do {
            if migrate { _ = try await store.migrate() }
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Applies pending migrations (under the migration advisory lock) and makes sure the
    /// partitions around the current month exist; returns the versions applied.
    public func migrate() async throws -> [Int] {
        let applied = try await self.bounded(.seconds(300)) { try await PostgresMigrations.migrate(self.client, logger: self.logger) }
        try await self.bounded(.seconds(300)) { try await PostgresPartitions.ensure(self.client, logger: self.logger) }
        return applied
    }

    /// Succeeds when the database answers a trivial query within the timeout.
    public func ping() async throws {
        try await self.bounded { try await self.client.query("SELECT 1", logger: self.logger) }
    }

    public func close() async {
        await self.runner.stop()
    }

    /// Runs `operation` within `timeout` (the configured one by default), mapping connection
    /// failures to `VigilError.unavailable`.
    func bounded<T: Sendable>(
        _ timeout: Duration? = nil,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try self.outage.check()
        do {
            let result = try await Deadline.run(timeout ?? self.options.timeout, operation)
            if self.outage.recordSuccess() { self.logger.notice("PostgreSQL is reachable again") }
            return result
        } catch {
            // Only a lost connection closes the gate: one slow statement (a 503 for its own
            // request) says nothing about the next one.
            if case .connectionLoss = PostgresFailure.classify(error), self.outage.recordOutage() {
                // Once per outage; the pool's own per-attempt messages are below warning.
                self.logger.error("PostgreSQL is unreachable; answering 503 until it is back", metadata: ["error": "\(error)"])
            }
            throw PostgresFailure.map(error)
        }
    }
}
