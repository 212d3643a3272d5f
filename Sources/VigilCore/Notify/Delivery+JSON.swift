import Foundation

extension Delivery {
    /// `{id, channel_id, alert_id, event, status, attempts, next_attempt_at, last_error,
    /// created_at, updated_at, history: [{at, status_code, error, latency_ms}]}`.
    public var json: String {
        var writer = JSONWriter()
        writer.object { object in
            object.field("id", self.entry.id.lowercased)
            object.field("channel_id", self.entry.channelID.lowercased)
            object.field("alert_id", self.entry.alertID.lowercased)
            object.field("event", self.entry.event.rawValue)
            object.field("status", self.entry.status.rawValue)
            object.field("attempts", Int64(self.entry.attempts))
            object.field("next_attempt_at", self.entry.status == .pending ? self.entry.nextAttemptAt.rfc3339 : nil)
            object.field("last_error", self.entry.lastError)
            object.field("created_at", self.entry.createdAt.rfc3339)
            object.field("updated_at", self.entry.updatedAt.rfc3339)
            var list = JSONWriter()
            list.raw("[")
            for (index, attempt) in self.attempts.enumerated() {
                if index > 0 { list.raw(",") }
                list.object { item in
                    item.field("at", attempt.at.rfc3339)
                    if let code = attempt.statusCode { item.field("status_code", Int64(code)) } else { item.field("status_code", nil as String?) }
                    item.field("error", attempt.error)
                    item.field("latency_ms", Int64(attempt.latencyMilliseconds))
                }
            }
            list.raw("]")
            object.rawField("history", list.output)
        }
        return writer.output
    }
}
