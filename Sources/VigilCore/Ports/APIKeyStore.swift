import Foundation

/// Durable storage of API keys.
public protocol APIKeyStore: Sendable {
    /// Inserts a key; throws `VigilError.conflict` (`api_key_name_taken`) if an active key has the name.
    func createAPIKey(_ key: APIKey) async throws
    /// Every key, newest first, revoked ones included.
    func apiKeys() async throws -> [APIKey]
    /// The key whose secret hashes to `hash`, whatever its state.
    func apiKey(hash: String) async throws -> APIKey?
    /// Marks the key revoked; returns it (nil if unknown or already revoked).
    func revokeAPIKey(id: UUID, now: Timestamp) async throws -> APIKey?
    /// Records that the key was used at `time`.
    func touchAPIKey(id: UUID, at time: Timestamp) async throws
}
