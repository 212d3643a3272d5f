import Crypto
import Foundation

/// A validated event submission, before the writer assigns what the server decides
/// (id if absent, receive time, submitting principal).
public struct NewEvent: Sendable, Equatable {
    public var clientID: UUID?
    public var type: String
    /// As given by the client; nil means "use the receive time".
    public var occurredAt: Timestamp?
    public var severity: Severity
    public var outcome: Outcome
    public var actor: String?
    public var entityType: String?
    public var entityID: String?
    public var source: String?
    public var ip: IPAddress?
    public var location: String?
    public var description: String?
    /// Canonical JSON object text.
    public var details: String

    public init(
        clientID: UUID? = nil,
        type: String,
        occurredAt: Timestamp? = nil,
        severity: Severity = .info,
        outcome: Outcome = .unknown,
        actor: String? = nil,
        entityType: String? = nil,
        entityID: String? = nil,
        source: String? = nil,
        ip: IPAddress? = nil,
        location: String? = nil,
        description: String? = nil,
        details: String = "{}"
    ) {
        self.clientID = clientID
        self.type = type
        self.occurredAt = occurredAt
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
    }

    /// SHA-256 (hex) over the normalized submission. Two submissions with the same client id are
    /// "the same event" exactly when their hashes match; fields the server fills in are excluded.
    public var contentHash: String {
        var writer = JSONWriter(capacity: 256)
        writer.object { object in
            object.field("type", self.type)
            object.field("occurred_at", self.occurredAt?.rfc3339)
            object.field("severity", self.severity.rawValue)
            object.field("outcome", self.outcome.rawValue)
            object.field("actor", self.actor)
            object.field("entity_type", self.entityType)
            object.field("entity_id", self.entityID)
            object.field("source", self.source)
            object.field("ip", self.ip?.text)
            object.field("location", self.location)
            object.field("description", self.description)
            object.rawField("details", self.details)
        }
        return Hex.encode(SHA256.hash(data: writer.bytes))
    }

    /// The event this submission becomes when committed now by `principal`.
    public func prepared(receivedAt: Timestamp, ingestedBy principal: String) -> PreparedEvent {
        let event = Event(
            id: self.clientID ?? UUID.v7(at: receivedAt),
            type: self.type,
            occurredAt: self.occurredAt ?? receivedAt,
            receivedAt: receivedAt,
            severity: self.severity,
            outcome: self.outcome,
            actor: self.actor,
            entityType: self.entityType,
            entityID: self.entityID,
            source: self.source,
            ip: self.ip?.text,
            location: self.location,
            description: self.description,
            details: self.details,
            ingestedBy: principal
        )
        return PreparedEvent(event: event, contentHash: self.contentHash, hasClientID: self.clientID != nil, ipBytes: self.ip?.bytes)
    }
}

/// An event ready to be written: the row plus what idempotency needs.
public struct PreparedEvent: Sendable, Equatable {
    public var event: Event
    public var contentHash: String
    public var hasClientID: Bool
    /// The address as 16 bytes (see `IPAddress.bytes`), kept from validation so stores need
    /// not parse it again.
    public var ipBytes: [UInt8]?

    public init(event: Event, contentHash: String, hasClientID: Bool, ipBytes: [UInt8]? = nil) {
        self.event = event
        self.contentHash = contentHash
        self.hasClientID = hasClientID
        self.ipBytes = ipBytes ?? event.ip.flatMap(IPAddress.init)?.bytes
    }
}
