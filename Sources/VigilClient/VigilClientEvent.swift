import Foundation

/// An event to send: Vigil's event fields. `id` (a UUIDv7) and `occurredAt` (now) are set
/// when the event is made, so a retry is recognised by Vigil and the event keeps the time it
/// happened however late it is delivered.
public struct VigilClientEvent: Sendable, Hashable, Encodable {
    public var id: UUID
    public var type: String
    public var occurredAt: Date
    public var severity: String?
    public var outcome: String?
    public var actor: String?
    public var entityType: String?
    public var entityID: String?
    public var source: String?
    public var ip: String?
    public var location: String?
    public var description: String?
    public var details: [String: VigilJSON]?

    public init(
        type: String,
        id: UUID = VigilClientEvent.newID(),
        occurredAt: Date = Date(),
        severity: String? = nil,
        outcome: String? = nil,
        actor: String? = nil,
        entityType: String? = nil,
        entityID: String? = nil,
        source: String? = nil,
        ip: String? = nil,
        location: String? = nil,
        description: String? = nil,
        details: [String: VigilJSON]? = nil
    ) {
        self.id = id
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

    enum CodingKeys: String, CodingKey {
        case id, type, severity, outcome, actor, source, ip, location, description, details
        case occurredAt = "occurred_at"
        case entityType = "entity_type"
        case entityID = "entity_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id.uuidString.lowercased(), forKey: .id)
        try container.encode(self.type, forKey: .type)
        try container.encode(Self.rfc3339(self.occurredAt), forKey: .occurredAt)
        try container.encodeIfPresent(self.severity, forKey: .severity)
        try container.encodeIfPresent(self.outcome, forKey: .outcome)
        try container.encodeIfPresent(self.actor, forKey: .actor)
        try container.encodeIfPresent(self.entityType, forKey: .entityType)
        try container.encodeIfPresent(self.entityID, forKey: .entityID)
        try container.encodeIfPresent(self.source, forKey: .source)
        try container.encodeIfPresent(self.ip, forKey: .ip)
        try container.encodeIfPresent(self.location, forKey: .location)
        try container.encodeIfPresent(self.description, forKey: .description)
        try container.encodeIfPresent(self.details, forKey: .details)
    }

    private static let seconds = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    /// RFC 3339 in UTC with microseconds, as Vigil stores times (milliseconds would tie events
    /// made in the same millisecond, and ties are ordered by id).
    static func rfc3339(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        let whole = (micros / 1_000_000).rounded(.down)
        let fraction = Int(micros - whole * 1_000_000)
        let text = Self.seconds.format(Date(timeIntervalSince1970: whole))
        let digits = String(fraction)
        return text.dropLast() + "." + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }

    /// A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits.
    public static func newID(at date: Date = Date()) -> UUID {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - UInt64(index)))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
    }
}
