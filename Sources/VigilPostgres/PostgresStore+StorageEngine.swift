import Logging
import Metrics
import ServiceLifecycle
import VigilCore

extension PostgresStore: StorageEngine {
    /// `postgres://` or `postgresql://` URLs; nil for any other. A malformed URL or an
    /// unreachable server is a `StartupError` naming the cause.
    public static func open(url: String, options: StorageOptions, migrate: Bool, logger: Logger) async throws -> PostgresStore? {
        let location: PostgresLocation?
        do {
            location = try PostgresLocation(url: url)
        } catch {
            throw StartupError(error.message)
        }
        guard let location else { return nil }
        do {
            return try await Self.open(
                location,
                options: .init(poolSize: options.poolSize, timeout: .seconds(options.timeoutSeconds)),
                migrate: migrate,
                logger: logger
            )
        } catch let error as PostgresUnreachable {
            throw StartupError(error.description)
        }
    }

    public var engineDescription: String { self.location.description }

    public var preferredBatchEvents: Int { Self.eventsPerCopy }

    // Half the pool at most, so queries and the detector still find connections.
    public var concurrentCommits: Int { max(1, min(Self.maxConcurrentCommits, self.options.poolSize / 2)) }

    /// PostgreSQL has its own consistent online copy; Vigil does not wrap it.
    public func backup(to path: String) async throws {
        throw StartupError(
            "On PostgreSQL back up with the server's tools: pg_dump --format=custom --file=\(path) (a consistent online copy), or continuous archiving for point-in-time recovery."
        )
    }

    /// The leadership service: the elected node runs `exclusive` work and hourly partition
    /// maintenance; the others wait to take over.
    public func backgroundServices(exclusive: [ExclusiveWork], metrics: any MetricsFactory) -> [any Service] {
        [
            PostgresLeadership(
                store: self,
                duties: [
                    .init(name: "partitions", interval: .seconds(3600)) { try await PostgresPartitions.ensure(self.client, logger: self.logger) }
                ],
                workers: exclusive,
                metrics: metrics
            )
        ]
    }
}
