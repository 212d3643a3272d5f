import AsyncHTTPClient
import Hummingbird
import HummingbirdCore
import Logging
import NIOPosix
import Prometheus
import ServiceLifecycle
import VigilCore

/// The one composition root: opens storage, prepares secrets and the first admin, and wires
/// the writer, controllers and middleware into a Hummingbird application. Tests call it with
/// `sqlite::memory:`; `vigil serve` calls it with the operator's configuration.
public func buildApplication(configuration: AppConfiguration) async throws -> some ApplicationProtocol {
    let parts = try await VigilComponents.build(configuration: configuration)
    return Application(
        router: parts.router,
        // An idle connection (none of its requests in progress, or a request head that never
        // completes) is closed after the idle timeout, and at most maxConnections are served
        // at once: slow clients cannot hold sockets and memory without end.
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: nil,
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: parts.logger)
        ),
        services: parts.services,
        logger: parts.logger
    )
}

/// What `buildApplication` assembles, kept separate so tests can inspect the router.
struct VigilComponents {
    let router: Router<VigilRequestContext>
    /// Long-lived services, in start order. They shut down in reverse order after the HTTP
    /// server: the writer drains its queue, then the database closes.
    let services: [any Service]
    let logger: Logger
    /// Releases the database and thread pools (also run by the shutdown hook service).
    let close: @Sendable () async -> Void

    static func build(configuration: AppConfiguration) async throws -> VigilComponents {
        var logger = Logger(label: "vigil")
        logger.logLevel = configuration.logLevel
        let storage = try await Storage.open(databaseURL: configuration.databaseURL, options: configuration.storage, logger: logger)
        logger.info("database ready", metadata: ["database": "\(storage.engineDescription)"])
        let pools = ProcessPools()
        let close: @Sendable () async -> Void = {
            await storage.close()
            await pools.shutdown()
        }
        do {
            let registry = PrometheusCollectorRegistry()
            let metrics = HelpfulMetricsFactory(registry: registry)
            let hasher = PasswordHasher(cost: configuration.bcryptCost, threadPool: pools.bcrypt)
            let first = try await FirstStart.prepare(configuration: configuration, storage: storage, hasher: hasher, logger: logger)
            let core = try CorePipeline(configuration: configuration, storage: storage, logger: logger, metrics: metrics)
            let notify = NotificationPipeline(
                configuration: configuration,
                storage: storage,
                client: pools.http,
                wake: core.notifications,
                logger: logger,
                metrics: metrics
            )
            let access = try await AccessControl(
                configuration: configuration,
                storage: storage,
                audit: core.audit,
                hasher: hasher,
                secret: first.jwtSecret
            )
            let routes = Routes(configuration: configuration, storage: storage, core: core, access: access, notify: notify)
            let router = buildRouter(
                configuration: configuration,
                routes: routes,
                console: try ConsoleController(configuration: configuration, api: routes, access: access, audit: core.audit),
                access: access,
                metrics: metrics,
                registry: registry,
                ping: { try await storage.ping() }
            )
            let listeners = try LogSourcePipeline.services(configuration: configuration, core: core, logger: logger)
            return VigilComponents(
                router: router,
                // Shut down in reverse: background work (the detector) stops before the
                // writer drains, and the database closes last.
                // Every node delivers (row leases keep attempts exclusive).
                // Listeners come last, so they stop (and commit what they read) before the writer drains.
                services: [ShutdownHook(action: close), core.writer, notify.deliverer, notify.telex] + core.background(storage: storage)
                    + listeners,
                logger: logger,
                close: close
            )
        } catch {
            await close()
            throw error
        }
    }
}
