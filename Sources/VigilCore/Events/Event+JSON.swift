extension Event {
    /// The event as the API returns it (snake_case, RFC 3339 UTC times, details inline).
    public func writeJSON(into writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", self.id)
            object.field("type", self.type)
            object.field("occurred_at", self.occurredAt)
            object.field("received_at", self.receivedAt)
            object.field("severity", self.severity.rawValue)
            object.field("outcome", self.outcome.rawValue)
            object.field("actor", self.actor)
            object.field("entity_type", self.entityType)
            object.field("entity_id", self.entityID)
            object.field("source", self.source)
            object.field("ip", self.ip)
            object.field("location", self.location)
            object.field("description", self.description)
            object.rawField("details", self.details)
            object.field("ingested_by", self.ingestedBy)
        }
    }

    public var json: String {
        var writer = JSONWriter(capacity: 512)
        self.writeJSON(into: &writer)
        return writer.output
    }
}
