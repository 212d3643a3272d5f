extension Event {
    /// About what this event costs in memory: its text, plus the struct and bookkeeping around
    /// it. What bounds hold to when they keep or page events (an event's details alone may be
    /// 32 KiB).
    public var footprint: Int {
        let text = [self.type, self.actor, self.entityType, self.entityID, self.source, self.ip, self.location, self.description]
            .reduce(self.details.utf8.count + self.ingestedBy.utf8.count) { $0 + ($1?.utf8.count ?? 0) }
        return text + 256
    }
}
