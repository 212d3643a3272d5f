import Foundation
import VigilCore

/// Who may do what: token issue and verification, API keys, the cached user lookups the
/// middleware makes on every request, the login decision and the per-node abuse guards.
struct AccessControl {
    let users: any UserStore
    let tokens: TokenService
    let apiKeys: APIKeyAuthenticator
    let audit: AuditTrail
    let hasher: PasswordHasher
    let loginFlow: LoginFlow
    let abuse: AbuseGuards
    let sessions: SessionTokens
    /// Signs the console's CSRF tokens; derived from the token secret, so every node agrees.
    let csrf: CSRFGuard

    init(configuration: AppConfiguration, storage: any StorageEngine, audit: AuditTrail, hasher: PasswordHasher, secret: [UInt8]) async throws {
        let users = CachedUserStore(storage)
        let abuse = AbuseGuards(registrationsPerHour: configuration.registrationsPerHour)
        self.users = users
        self.tokens = await TokenService(
            secret: secret,
            accessTokenLifetime: configuration.accessTokenLifetimeSeconds,
            refreshTokenLifetime: configuration.refreshTokenLifetimeSeconds
        )
        self.apiKeys = APIKeyAuthenticator(store: storage)
        self.audit = audit
        self.hasher = hasher
        self.abuse = abuse
        self.sessions = SessionTokens(users: users, refreshTokens: storage, tokens: self.tokens, audit: audit)
        self.csrf = CSRFGuard(secret: secret)
        self.loginFlow = LoginFlow(
            users: users,
            throttle: storage,
            policy: configuration.loginThrottle,
            gate: abuse.logins,
            notices: abuse.notices,
            hasher: hasher,
            audit: audit,
            decoyHash: try await hasher.hash(UUID().lowercased)
        )
    }

    /// The middleware in front of every authenticated route.
    var middleware: AuthMiddleware {
        AuthMiddleware(sessions: self.sessions, apiKeys: self.apiKeys, audit: self.audit)
    }
}
