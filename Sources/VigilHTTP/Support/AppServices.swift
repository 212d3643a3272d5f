import Logging
import Metrics
import VigilCore
import VigilNotify

/// The long-lived collaborators that controllers need, built once by `buildApplication`.
struct AppServices: Sendable {
    let users: any UserStore
    let events: any EventStore
    let refreshTokens: any RefreshTokenStore
    let apiKeys: any APIKeyStore
    let loginThrottle: any LoginThrottleStore
    let rules: any RuleStore
    let alerts: any AlertStore
    let log: any EventLogReader
    let stats: any StatsStore
    /// Bounds concurrent exports on this node.
    let exportSlots: ExportSlots
    let channels: any ChannelStore
    let outbox: any OutboxStore
    /// Wakes the local deliverer when a request queued notifications.
    let notifications: CommitSignal
    /// Sends channel tests through the same senders as real notifications.
    let deliverer: Deliverer
    /// Answers Telex interval ticks with alert digests.
    let telex: TelexTicker
    let apiKeyAuthenticator: APIKeyAuthenticator
    let writer: EventWriter
    let audit: AuditTrail
    let ingestLimiter: IngestRateLimiter
    let abuse: AbuseGuards
    let hasher: PasswordHasher
    let tokens: TokenService
    let configuration: AppConfiguration
    let metrics: any MetricsFactory
    let logger: Logger
    /// A bcrypt hash of a random password, verified against when the username is unknown so
    /// that unknown users and wrong passwords take the same time.
    let decoyHash: String
}
