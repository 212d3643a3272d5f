import Foundation

/// Durable storage of refresh tokens.
public protocol RefreshTokenStore: Sendable {
    func insertRefreshToken(_ record: RefreshTokenRecord) async throws
    /// Atomically retires the token with `hash` and stores `successor` in the same family, or
    /// reports why it cannot (revoking the family when a retired token is presented again).
    func rotateRefreshToken(hash: String, successor: RefreshTokenRecord.Successor, now: Timestamp) async throws -> RefreshRotation
    /// Revokes every token of the family that `hash` belongs to; returns that family's record, if any.
    func revokeRefreshFamily(hash: String, now: Timestamp) async throws -> RefreshTokenRecord?
}
