/// The body of `GET /api/v1/stats`: the window, event counts, failed logins, alerts (nil for
/// the role `user`, who cannot read alerts) and a timeline with every bucket, empty ones as 0.
public struct StatsReport: Sendable {
    public var query: StatsQuery
    public var events: EventStats
    public var alerts: AlertStats?

    public init(query: StatsQuery, events: EventStats, alerts: AlertStats?) {
        self.query = query
        self.events = events
        self.alerts = alerts
    }

    public var json: String {
        var writer = JSONWriter(capacity: 2048 + self.query.bucketStarts.count * 48)
        writer.object { object in
            object.field("from", self.query.from.rfc3339)
            object.field("to", self.query.to.rfc3339)
            object.field("bucket", self.query.bucket.rawValue)
            object.field("total", self.events.total)
            object.rawField("by_type", Self.counts(self.events.byType))
            object.rawField("by_severity", Self.counts(Severity.allCases.map { ($0.rawValue, self.events.bySeverity[$0] ?? 0) }))
            object.rawField("by_outcome", Self.counts(Outcome.allCases.map { ($0.rawValue, self.events.byOutcome[$0] ?? 0) }))
            object.rawField("by_source", Self.counts(self.events.bySource))
            object.rawField("top_ips", Self.entries(self.events.topIPs, name: "ip"))
            object.rawField("top_actors", Self.entries(self.events.topActors, name: "actor"))
            var failed = JSONWriter()
            failed.object { failed in
                failed.field("total", self.events.failedLogins)
                failed.rawField("top_ips", Self.entries(self.events.failedLoginTopIPs, name: "ip"))
            }
            object.rawField("failed_logins", failed.output)
            if let alerts = self.alerts {
                var section = JSONWriter()
                section.object { section in
                    section.field("open", alerts.open)
                    section.rawField("by_status", Self.counts(AlertStatus.allCases.map { ($0.rawValue, alerts.byStatus[$0] ?? 0) }))
                    section.rawField("by_severity", Self.counts(Severity.allCases.map { ($0.rawValue, alerts.bySeverity[$0] ?? 0) }))
                }
                object.rawField("alerts", section.output)
            } else {
                object.rawField("alerts", "null")
            }
            var timeline = JSONWriter(capacity: self.query.bucketStarts.count * 48)
            timeline.raw("[")
            for (index, start) in self.query.bucketStarts.enumerated() {
                if index > 0 { timeline.raw(",") }
                timeline.object { bucket in
                    bucket.field("start", start.rfc3339)
                    bucket.field("count", self.events.timeline[start] ?? 0)
                }
            }
            timeline.raw("]")
            object.rawField("timeline", timeline.output)
        }
        return writer.output
    }

    /// A JSON object of counts, largest first (then by name), so the busiest are read first.
    static func counts(_ counts: [String: Int64]) -> String {
        self.counts(counts.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 })
    }

    /// A JSON object of counts in the given order.
    static func counts(_ pairs: [(String, Int64)]) -> String {
        var writer = JSONWriter(capacity: 32 + pairs.count * 32)
        writer.object { object in
            for (name, count) in pairs { object.field(name, count) }
        }
        return writer.output
    }

    static func entries(_ entries: [EventStats.Entry], name: String) -> String {
        var writer = JSONWriter(capacity: 16 + entries.count * 48)
        writer.raw("[")
        for (index, entry) in entries.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.object { object in
                object.field(name, entry.key)
                object.field("count", entry.count)
            }
        }
        writer.raw("]")
        return writer.output
    }
}
