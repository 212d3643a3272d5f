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

extension DeliveryQuery {
    static let accepted: Set<String> = ["channel_id", "alert_id", "status", "limit", "cursor"]

    /// The cursor of the page after `entry`.
    public static func cursor(after entry: OutboxEntry) -> String {
        KeysetToken.encode(tag: "d1", order: .desc, time: entry.createdAt, id: entry.id)
    }

    /// `channel_id`, `alert_id`, `status`, `limit` (1–1000, default 50), `cursor`; each at most once.
    public static func parse(_ parameters: [(String, String)]) -> Result<DeliveryQuery, ValidationFailure> {
        var query = DeliveryQuery()
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for (name, value) in parameters {
            guard accepted.contains(name) else {
                errors.append(FieldError(field: name, message: "unknown query parameter"))
                continue
            }
            guard seen.insert(name).inserted else {
                errors.append(FieldError(field: name, message: "must be given at most once"))
                continue
            }
            switch name {
            case "channel_id", "alert_id":
                guard let id = UUID(uuidString: value) else {
                    errors.append(FieldError(field: name, message: "must be a UUID"))
                    continue
                }
                if name == "channel_id" { query.channelID = id } else { query.alertID = id }
            case "status":
                if let status = OutboxEntry.Status(rawValue: value.lowercased()) {
                    query.status = status
                } else {
                    errors.append(
                        FieldError(field: name, message: "must be one of \(OutboxEntry.Status.allCases.map(\.rawValue).joined(separator: ", "))")
                    )
                }
            case "limit":
                if let limit = Int(value), (1...EventQuery.maxLimit).contains(limit) {
                    query.limit = limit
                } else {
                    errors.append(FieldError(field: name, message: "must be an integer from 1 to \(EventQuery.maxLimit)"))
                }
            default:
                if let (_, time, id) = KeysetToken.decode(value, tag: "d1") {
                    query.before = (time, id)
                } else {
                    errors.append(FieldError(field: name, message: "is not a valid cursor"))
                }
            }
        }
        return errors.isEmpty ? .success(query) : .failure(ValidationFailure(errors))
    }
}
