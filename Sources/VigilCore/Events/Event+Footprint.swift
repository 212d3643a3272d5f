extension Event {
    /// About what this event costs in memory: its text, plus the struct and bookkeeping around
    /// it. What bounds hold to when they keep or page events (an event's details alone may be
    /// 32 KiB). Summed field by field: it runs for every event the shared log tail keeps and
    /// every event exported, and an array of the fields would be an allocation each time.
    public var footprint: Int {
        var text = self.type.utf8.count + self.details.utf8.count + self.ingestedBy.utf8.count
        text += (self.actor?.utf8.count ?? 0) + (self.entityType?.utf8.count ?? 0) + (self.entityID?.utf8.count ?? 0)
        text += (self.source?.utf8.count ?? 0) + (self.ip?.utf8.count ?? 0) + (self.location?.utf8.count ?? 0)
        text += self.description?.utf8.count ?? 0
        return text + 256
    }
}
