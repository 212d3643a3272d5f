import Foundation
import Synchronization
import VigilCore

/// Resolves presented API key secrets to principals.
///
/// Lookups by secret hash are cached for one second (revocations made through this process
/// evict at once; revocations by another node are seen within the second), and `last_used_at`
/// is written at most once a minute per key, so a busy key costs no database write per request.
final class APIKeyAuthenticator: Sendable {
    static let secretPrefix = "vgl_"
    private let store: any APIKeyStore
    private let cache = Mutex<[String: (key: APIKey?, expires: ContinuousClock.Instant)]>([:])
    private let lastTouched = Mutex<[UUID: Timestamp]>([:])

    init(store: any APIKeyStore) {
        self.store = store
    }

    /// A new secret and what to store of it.
    static func newSecret() -> (secret: String, hash: String, prefix: String) {
        var generator = SystemRandomNumberGenerator()
        let secret = secretPrefix + Base64URL.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return (secret, TokenService.hash(secret), String(secret.prefix(secretPrefix.count + 8)))
    }

    /// The principal for `secret`; throws 401 for unknown, revoked or expired keys.
    func authenticate(_ secret: String) async throws -> Principal {
        let hash = TokenService.hash(secret)
        let now = Timestamp.now()
        let clock = ContinuousClock.now
        let key: APIKey?
        if let cached = self.cache.withLock({ $0[hash] }), cached.expires > clock {
            key = cached.key
        } else {
            key = try await self.store.apiKey(hash: hash)
            self.cache.withLock { entries in
                if entries.count > 10_000 { entries.removeAll(keepingCapacity: true) }
                entries[hash] = (key, clock + .seconds(1))
            }
        }
        guard let key, key.isActive(at: now) else { throw VigilError.unauthenticated("The API key is invalid, expired or revoked.") }
        let due = self.lastTouched.withLock { touched in
            guard touched[key.id].map { now.microseconds - $0.microseconds >= 60_000_000 } ?? true else { return false }
            touched[key.id] = now
            return true
        }
        if due { try await self.store.touchAPIKey(id: key.id, at: now) }
        return Principal(apiKeyID: key.id, name: key.name, scopes: key.scopes)
    }

    /// Forgets cached lookups (after a revocation through this process).
    func evictAll() {
        self.cache.withLock { $0.removeAll() }
    }
}
