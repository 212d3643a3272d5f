import Logging
import VigilCore

/// Everything `buildApplication` needs to know, already parsed and validated by the CLI
/// (from `VIGIL_*` environment variables and flags) or built directly by tests.
public struct AppConfiguration: Sendable {
    public enum Registration: String, Sendable {
        case open, closed
    }

    /// How log records are written: one line of text, or one JSON object.
    public enum LogFormat: String, Sendable {
        case text, json
    }

    /// The header trusted proxies write the client's address into.
    public enum ProxyHeader: String, Sendable {
        case xForwardedFor = "x-forwarded-for"
        case forwarded
    }

    public var host: String
    public var port: Int
    /// `sqlite:///abs/path.sqlite`, `sqlite::memory:`, or `postgres://user:password@host:port/db?sslmode=…`.
    public var databaseURL: String
    /// PostgreSQL pool size and per-call timeout; SQLite durability.
    public var storage: StorageOptions
    /// HS256 secret; when nil one is generated once and kept in the database.
    public var jwtSecret: String?
    public var logLevel: Logger.Level
    public var logFormat: LogFormat = .text
    public var registration: Registration
    /// Password for the `admin` user created on first start; random (printed once) when nil.
    public var adminPassword: String?
    public var accessTokenLifetimeSeconds: Int64
    public var refreshTokenLifetimeSeconds: Int64
    /// bcrypt cost; 12 or more in production (the CLI refuses less).
    public var bcryptCost: UInt8
    public var writerQueueLimit: Int
    public var loginThrottle: LoginThrottlePolicy
    /// Events per second each principal may ingest (0 = unlimited).
    public var ingestRateLimit: Int
    /// Peers whose `X-Forwarded-For` / `Forwarded` headers are believed.
    public var trustedProxies: [CIDRRange]
    /// The one header believed from them; the other is ignored.
    public var proxyHeader: ProxyHeader = .xForwardedFor
    /// How long one notification attempt may take (connect, send, answer) before it counts as failed.
    public var notificationTimeoutSeconds: Int = 10
    /// Exports (`GET /api/v1/events/export`) one node streams at once; more get 429.
    public var exportConcurrency: Int = 4
    /// The address people and Telex reach this server at (`integration.json` names it and its
    /// tick URL); `http://host:port` when nil.
    public var publicURL: String?
    /// The version shown in the console's footer (the binary's; not a setting).
    public var version: String = "dev"
    /// PEM files of CAs trusted for SMTP TLS besides the system's (a private mail relay).
    public var smtpCAFiles: [String] = []
    /// Self-registrations one address (IPv6: its /64) may make per hour, when registration is open.
    public var registrationsPerHour: Int = 10
    /// Alerts one rule may open per minute; the rest count into one "alert storm" alert.
    public var alertStormLimit: Int = StormGuard.defaultLimit
    /// Whether channels may target loopback, link-local and private addresses (a receiver on
    /// the same host or network); off, such targets are refused when the channel is used.
    public var allowPrivateTargets: Bool = false
    /// When set, the only hosts channels may reach (an egress allowlist, checked before DNS).
    public var channelHosts: Set<String>?
    /// Seconds a connection may sit without a byte in either direction before it is closed.
    public var idleTimeoutSeconds: Int = 60
    /// Connections one node accepts at once; more wait in the kernel's backlog.
    public var maxConnections: Int = 4096
    /// The syslog and GELF listeners (all off by default).
    public var logSources = LogSourceSettings()
    /// The tamper-evident ledger.
    public var ledger = LedgerSettings()

    /// `publicURL`, or what `host` and `port` make, without a trailing slash.
    public var resolvedPublicURL: String {
        if let url = self.publicURL { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "http://\(host):\(self.port)"
    }

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        databaseURL: String = "sqlite://vigil.sqlite",
        jwtSecret: String? = nil,
        logLevel: Logger.Level = .info,
        registration: Registration = .closed,
        adminPassword: String? = nil,
        accessTokenLifetimeSeconds: Int64 = 900,
        refreshTokenLifetimeSeconds: Int64 = 7 * 86_400,
        bcryptCost: UInt8 = 12,
        storage: StorageOptions = .init(),
        writerQueueLimit: Int = 50_000,
        loginThrottle: LoginThrottlePolicy = .init(),
        ingestRateLimit: Int = 0,
        trustedProxies: [CIDRRange] = []
    ) {
        self.loginThrottle = loginThrottle
        self.ingestRateLimit = ingestRateLimit
        self.trustedProxies = trustedProxies
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.jwtSecret = jwtSecret
        self.logLevel = logLevel
        self.registration = registration
        self.adminPassword = adminPassword
        self.accessTokenLifetimeSeconds = accessTokenLifetimeSeconds
        self.refreshTokenLifetimeSeconds = refreshTokenLifetimeSeconds
        self.bcryptCost = bcryptCost
        self.storage = storage
        self.writerQueueLimit = writerQueueLimit
    }
}
