import Foundation

/// What an API key may do. A key acts with exactly its scopes and nothing else.
public enum APIKeyScope: String, Sendable, CaseIterable, Codable, Hashable {
    case eventsWrite = "events:write"
    case eventsRead = "events:read"
    /// Reading `/metrics` (a Prometheus scraper's key).
    case metricsRead = "metrics:read"
}

/// An API key as stored: the secret itself is never kept, only its SHA-256.
public struct APIKey: Sendable, Equatable {
    public var id: UUID
    public var name: String
    /// The first characters of the secret (`vgl_XXXXXXXX`), to recognise a key in listings.
    public var prefix: String
    public var keyHash: String
    public var scopes: Set<APIKeyScope>
    public var createdBy: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp?
    public var lastUsedAt: Timestamp?
    public var revokedAt: Timestamp?

    public init(
        id: UUID,
        name: String,
        prefix: String,
        keyHash: String,
        scopes: Set<APIKeyScope>,
        createdBy: String,
        createdAt: Timestamp,
        expiresAt: Timestamp? = nil,
        lastUsedAt: Timestamp? = nil,
        revokedAt: Timestamp? = nil
    ) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.keyHash = keyHash
        self.scopes = scopes
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Usable at `now`: not revoked and not expired.
    public func isActive(at now: Timestamp) -> Bool {
        self.revokedAt == nil && (self.expiresAt.map { now < $0 } ?? true)
    }
}
