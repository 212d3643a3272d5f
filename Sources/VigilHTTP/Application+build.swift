import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import VigilCore
import VigilNotify

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
        let bcryptPool = NIOThreadPool(numberOfThreads: 2)
        bcryptPool.start()
        let httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(redirectConfiguration: .disallow))
        let close: @Sendable () async -> Void = {
            await storage.close()
            try? await bcryptPool.shutdownGracefully()
            try? await httpClient.shutdown()
        }
        do {
            let registry = PrometheusCollectorRegistry()
            let metrics = PrometheusMetricsFactory(registry: registry)
            let hasher = PasswordHasher(cost: configuration.bcryptCost, threadPool: bcryptPool)
            let secret = try await jwtSecret(configuration: configuration, settings: storage.settings)
            try await createFirstAdmin(configuration: configuration, users: storage.users, hasher: hasher, logger: logger)
            if try await storage.rules.installRulesOnce(Rule.builtIn(now: .now())) {
                logger.notice("installed the built-in detection rules")
            }
            let committed = CommitSignal()
            let notifications = CommitSignal()
            let writer = EventWriter(
                store: storage.events,
                configuration: .init(
                    maxQueuedEvents: configuration.writerQueueLimit,
                    maxBatchEvents: storage.preferredBatchEvents,
                    maxConcurrentCommits: storage.concurrentCommits
                ),
                committed: committed,
                logger: logger,
                metrics: metrics
            )
            let timeout = TimeAmount.seconds(Int64(configuration.notificationTimeoutSeconds))
            let destinations = DestinationPolicy(allowInternal: configuration.allowPrivateTargets, allowedHosts: configuration.channelHosts)
            let deliverer = Deliverer(
                outbox: storage.outbox,
                channels: storage.channels,
                senders: [
                    WebhookSender(client: httpClient, timeout: timeout, destinations: destinations),
                    SlackSender(client: httpClient, timeout: timeout, destinations: destinations),
                    TelexSender(client: httpClient, timeout: timeout, destinations: destinations),
                    EmailSender(
                        group: MultiThreadedEventLoopGroup.singleton,
                        alerts: storage.alerts,
                        timeout: .seconds(configuration.notificationTimeoutSeconds),
                        extraTrustRoots: configuration.smtpCAFiles,
                        destinations: destinations
                    ),
                ],
                signal: notifications,
                logger: logger,
                metrics: metrics
            )
            let telex = TelexTicker(
                channels: storage.channels,
                alerts: storage.alerts,
                client: httpClient,
                timeout: timeout,
                destinations: destinations,
                logger: logger
            )
            let users = CachedUserStore(storage.users)
            let services = AppServices(
                users: users,
                events: storage.events,
                refreshTokens: storage.refreshTokens,
                apiKeys: storage.apiKeys,
                loginThrottle: storage.loginThrottle,
                rules: storage.rules,
                alerts: storage.alerts,
                log: storage.log,
                stats: storage.stats,
                exportSlots: ExportSlots(limit: configuration.exportConcurrency),
                channels: storage.channels,
                outbox: storage.outbox,
                notifications: notifications,
                deliverer: deliverer,
                telex: telex,
                apiKeyAuthenticator: APIKeyAuthenticator(store: storage.apiKeys),
                writer: writer,
                audit: AuditTrail(writer: writer, logger: logger),
                ingestLimiter: IngestRateLimiter(eventsPerSecond: configuration.ingestRateLimit),
                abuse: AbuseGuards(registrationsPerHour: configuration.registrationsPerHour),
                hasher: hasher,
                tokens: await TokenService(
                    secret: secret,
                    accessTokenLifetime: configuration.accessTokenLifetimeSeconds,
                    refreshTokenLifetime: configuration.refreshTokenLifetimeSeconds
                ),
                configuration: configuration,
                metrics: metrics,
                logger: logger,
                decoyHash: try await hasher.hash(UUID().lowercased)
            )
            let router = buildRouter(services: services, registry: registry, ping: { try await storage.ping() })
            let detector = Detector(
                log: storage.log,
                alerts: storage.alerts,
                rules: storage.rules,
                signal: committed,
                notifications: notifications,
                configuration: Detector.Configuration(stormLimit: configuration.alertStormLimit),
                logger: logger,
                metrics: metrics
            )
            let background = storage.backgroundServices(
                metrics: metrics,
                exclusive: [
                    ExclusiveWork(name: "detector", run: detector.follow),
                    ExclusiveWork(name: "rollups", run: RollupWorker(store: storage.stats, logger: logger, metrics: metrics).follow),
                ]
            )
            return VigilComponents(
                router: router,
                // Shut down in reverse: background work (the detector) stops before the
                // writer drains, and the database closes last.
                // Every node delivers (row leases keep attempts exclusive).
                services: [ShutdownHook(action: close), writer, deliverer, telex] + background,
                logger: logger,
                close: close
            )
        } catch {
            await close()
            throw error
        }
    }
}

/// Routes and middleware. Public routes first; everything under the authenticated group
/// requires a token or gets 401.
func buildRouter(
    services: AppServices,
    registry: PrometheusCollectorRegistry,
    ping: @escaping @Sendable () async throws -> Void
)
    -> Router<VigilRequestContext>
{
    let router = Router(context: VigilRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ClientAddressMiddleware(trusted: services.configuration.trustedProxies, header: services.configuration.proxyHeader))
    router.add(middleware: MetricsMiddleware(factory: services.metrics))
    router.add(middleware: ErrorMiddleware())
    let authentication = AuthMiddleware(tokens: services.tokens, apiKeys: services.apiKeyAuthenticator, users: services.users, audit: services.audit)
    OpsController(registry: registry, ping: ping, openAPIDocument: OpenAPIDocument.bytes)
        .addRoutes(to: router, authenticated: router.group().add(middleware: authentication))
    let auth = AuthController(services: services)
    auth.addPublicRoutes(to: router.group("api/v1/auth"))
    TelexController(services: services, ticker: services.telex).addRoutes(to: router)
    let api = router.group("api/v1").add(
        middleware: authentication
    )
    auth.addProtectedRoutes(to: api.group("auth"))
    EventsController(services: services).addRoutes(to: api)
    UsersController(services: services).addRoutes(to: api)
    APIKeysController(services: services).addRoutes(to: api)
    RulesController(services: services).addRoutes(to: api)
    AlertsController(services: services).addRoutes(to: api)
    ChannelsController(services: services).addRoutes(to: api)
    DeliveriesController(services: services).addRoutes(to: api)
    StatsController(services: services).addRoutes(to: api)
    return router
}

/// The configured secret, or the one generated on first start and kept in the database (so
/// tokens survive restarts and every node of a cluster agrees).
func jwtSecret(configuration: AppConfiguration, settings: any SettingsStore) async throws -> [UInt8] {
    if let configured = configuration.jwtSecret {
        guard configured.utf8.count >= 32 else { throw StartupError("VIGIL_JWT_SECRET must be at least 32 bytes long.") }
        return Array(configured.utf8)
    }
    let stored = try await settings.setting("jwt_secret") {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }
    guard let bytes = Data(base64Encoded: stored), bytes.count >= 32 else {
        throw StartupError("The stored JWT secret is damaged; set VIGIL_JWT_SECRET or remove the jwt_secret setting.")
    }
    return Array(bytes)
}

/// On a database without users, creates `admin` with the configured password or a random one
/// printed once to stderr.
func createFirstAdmin(configuration: AppConfiguration, users: any UserStore, hasher: PasswordHasher, logger: Logger) async throws {
    guard try await users.users().isEmpty else { return }
    let generated = configuration.adminPassword == nil
    let password = configuration.adminPassword ?? randomPassword()
    if let problem = Credentials.validate(username: "admin", password: password).first {
        throw StartupError("VIGIL_ADMIN_PASSWORD \(problem.message).")
    }
    let now = Timestamp.now()
    let admin = User(
        id: UUID.v7(at: now),
        username: "admin",
        passwordHash: try await hasher.hash(password),
        role: .admin,
        createdAt: now,
        updatedAt: now
    )
    guard try await users.createFirstUser(admin) else { return }
    logger.notice("created the first user 'admin'")
    if generated {
        FileHandle.standardError.write(Data("Vigil: created user 'admin' with password \(password) (shown once; change it).\n".utf8))
    }
}

func randomPassword() -> String {
    let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
}

/// Runs `action` once graceful shutdown begins (or the group is cancelled).
struct ShutdownHook: Service {
    let action: @Sendable () async -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await self.action()
    }
}
