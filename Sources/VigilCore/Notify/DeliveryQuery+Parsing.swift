import Foundation

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
