import Foundation

/// A legal hold: events it matches are never deleted by retention, whatever their age. Every
/// condition given must match; a hold with none holds everything.
public struct RetentionHold: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var reason: String?
    /// `occurred_at` range: from inclusive, to exclusive.
    public var from: Timestamp?
    public var to: Timestamp?
    /// An exact type, or a prefix written `auth.*`.
    public var type: String?
    public var actor: String?
    public var entityID: String?
    public var createdBy: String
    public var createdAt: Timestamp

    public init(
        id: UUID,
        name: String,
        reason: String?,
        from: Timestamp?,
        to: Timestamp?,
        type: String?,
        actor: String?,
        entityID: String?,
        createdBy: String,
        createdAt: Timestamp
    ) {
        self.id = id
        self.name = name
        self.reason = reason
        self.from = from
        self.to = to
        self.type = type
        self.actor = actor
        self.entityID = entityID
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    public func holds(_ event: Event) -> Bool {
        if let from, event.occurredAt < from { return false }
        if let to, event.occurredAt >= to { return false }
        if let type {
            if type.hasSuffix("*") {
                guard event.type.hasPrefix(String(type.dropLast())) else { return false }
            } else if event.type != type {
                return false
            }
        }
        if let actor, event.actor != actor { return false }
        if let entityID, event.entityID != entityID { return false }
        return true
    }

    /// Whether the hold may hold some event that occurred in `range` (what keeps a whole
    /// partition from being dropped).
    public func mayHold(occurredIn range: Range<Timestamp>) -> Bool {
        if let from, from >= range.upperBound { return false }
        if let to, to <= range.lowerBound { return false }
        return true
    }

    public var json: String {
        var writer = JSONWriter(capacity: 256)
        writer.object { object in
            object.field("id", self.id.lowercased)
            object.field("name", self.name)
            object.field("reason", self.reason)
            object.field("from", self.from?.rfc3339)
            object.field("to", self.to?.rfc3339)
            object.field("type", self.type)
            object.field("actor", self.actor)
            object.field("entity_id", self.entityID)
            object.field("created_by", self.createdBy)
            object.field("created_at", self.createdAt.rfc3339)
        }
        return writer.output
    }
}
