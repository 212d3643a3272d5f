import Foundation

/// An event as committed to the log.
public struct Event: Sendable, Equatable {
    public var id: UUID
    public var type: String
    public var occurredAt: Timestamp
    public var receivedAt: Timestamp
    public var severity: Severity
    public var outcome: Outcome
    public var actor: String?
    public var entityType: String?
    public var entityID: String?
    public var source: String?
    /// Normalized address text (see `IPAddress.text`).
    public var ip: String?
    public var location: String?
    public var description: String?
    /// Canonical JSON text of the details object (`{}` when none were given).
    public var details: String
    /// The principal that submitted the event (`user:NAME`, `apikey:NAME`, `vigil`).
    public var ingestedBy: String

    public init(
        id: UUID,
        type: String,
        occurredAt: Timestamp,
        receivedAt: Timestamp,
        severity: Severity = .info,
        outcome: Outcome = .unknown,
        actor: String? = nil,
        entityType: String? = nil,
        entityID: String? = nil,
        source: String? = nil,
        ip: String? = nil,
        location: String? = nil,
        description: String? = nil,
        details: String = "{}",
        ingestedBy: String
    ) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.severity = severity
        self.outcome = outcome
        self.actor = actor
        self.entityType = entityType
        self.entityID = entityID
        self.source = source
        self.ip = ip
        self.location = location
        self.description = description
        self.details = details
        self.ingestedBy = ingestedBy
    }
}
