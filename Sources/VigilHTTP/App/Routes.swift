import VigilCore

/// Every controller, each given only what it uses.
struct Routes {
    let auth: AuthController
    let telex: TelexController
    let events: EventsController
    let users: UsersController
    let apiKeys: APIKeysController
    let rules: RulesController
    let alerts: AlertsController
    let channels: ChannelsController
    let deliveries: DeliveriesController
    let stats: StatsController
    let ledger: LedgerController
    let retention: RetentionController

    init(configuration: AppConfiguration, storage: any StorageEngine, core: CorePipeline, access: AccessControl, notify: NotificationPipeline) {
        let audit = core.audit
        self.auth = AuthController(
            users: access.users,
            hasher: access.hasher,
            sessions: access.sessions,
            loginFlow: access.loginFlow,
            audit: audit,
            registration: configuration.registration,
            accessTokenLifetimeSeconds: configuration.accessTokenLifetimeSeconds,
            registrations: access.abuse.registrations,
            tokenRequests: access.abuse.tokenRequests,
            notices: access.abuse.notices
        )
        self.telex = TelexController(channels: storage, publicURL: configuration.resolvedPublicURL, ticker: notify.telex)
        self.events = EventsController(
            events: storage,
            writer: core.writer,
            ingestLimiter: IngestRateLimiter(eventsPerSecond: configuration.ingestRateLimit),
            exportSlots: ExportSlots(limit: configuration.exportConcurrency),
            audit: audit,
            ledger: storage
        )
        self.users = UsersController(users: access.users, hasher: access.hasher, loginFlow: access.loginFlow, audit: audit)
        self.apiKeys = APIKeysController(apiKeys: storage, apiKeyAuthenticator: access.apiKeys, audit: audit)
        self.rules = RulesController(rules: storage, log: storage, stormLimit: configuration.alertStormLimit, audit: audit)
        self.alerts = AlertsController(alerts: storage, users: access.users, notifications: core.notifications, audit: audit)
        self.channels = ChannelsController(channels: storage, deliverer: notify.deliverer, audit: audit)
        self.deliveries = DeliveriesController(outbox: storage, notifications: core.notifications, audit: audit)
        self.stats = StatsController(stats: storage)
        self.ledger = LedgerController(ledger: storage, events: storage)
        self.retention = RetentionController(store: storage, policy: configuration.ledger.retention, audit: audit)
    }
}
