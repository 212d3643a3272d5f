import Foundation

/// An event as Vigil stored it (`GET /api/v1/events`); times are RFC 3339 text as Vigil sent them.
public struct VigilStoredEvent: Sendable, Hashable, Decodable {
    public var id: String
    public var type: String
    public var occurredAt: String
    public var receivedAt: String
    public var severity: String
    public var outcome: String
    public var actor: String?
    public var entityType: String?
    public var entityID: String?
    public var source: String?
    public var ip: String?
    public var location: String?
    public var description: String?
    public var details: VigilJSON?
    public var ingestedBy: String

    enum CodingKeys: String, CodingKey {
        case id, type, severity, outcome, actor, source, ip, location, description, details
        case occurredAt = "occurred_at"
        case receivedAt = "received_at"
        case entityType = "entity_type"
        case entityID = "entity_id"
        case ingestedBy = "ingested_by"
    }
}
