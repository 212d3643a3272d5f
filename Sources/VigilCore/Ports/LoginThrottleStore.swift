/// Shared login-failure counters, kept in the database so every node (and a restart) sees them.
public protocol LoginThrottleStore: Sendable {
    /// The latest `blocked_until` among `keys` that is still in the future at `now`, if any.
    func blockedUntil(_ keys: [LoginThrottleKey], now: Timestamp) async throws -> Timestamp?
    /// Counts one failure for each key under `policy`, atomically; returns the resulting states.
    func recordLoginFailure(_ keys: [LoginThrottleKey], policy: LoginThrottlePolicy, now: Timestamp) async throws -> [LoginFailureState]
    /// Forgets the counter of `key` (after a successful login).
    func clearLoginFailures(_ key: LoginThrottleKey) async throws
}
