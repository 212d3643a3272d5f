extension StatsQuery {
    public static let maxTop = 100
    /// At most a week of minutes per timeline.
    public static let maxBuckets = 10_080
    /// The window when `from` is not given: the day before `to`.
    public static let defaultWindowSeconds: Int64 = 86_400

    /// Builds a query from URL parameters: `from`, `to`, `bucket` (minute, hour, day; default
    /// hour), `top` (1-100, default 10) and every filter of `GET /api/v1/events`. The window is
    /// widened to whole buckets (`from` down, `to` up); `to` defaults to now and `from` to a
    /// day before `to`. Every bad parameter is named.
    public static func parse(_ parameters: [(String, String)], now: Timestamp) -> Result<StatsQuery, ValidationFailure> {
        var errors: [FieldError] = []
        var bucket = StatsBucket.hour
        var top = 10
        var seen: Set<String> = []
        var filters: [(String, String)] = []
        for (name, value) in parameters {
            switch name {
            case "bucket", "top":
                guard seen.insert(name).inserted else {
                    errors.append(FieldError(field: name, message: "must be given at most once"))
                    continue
                }
                if name == "bucket" {
                    if let parsed = StatsBucket(rawValue: value.lowercased()) {
                        bucket = parsed
                    } else {
                        errors.append(FieldError(field: name, message: "must be minute, hour or day"))
                    }
                } else if let parsed = Int(value), (1...maxTop).contains(parsed) {
                    top = parsed
                } else {
                    errors.append(FieldError(field: name, message: "must be an integer from 1 to \(maxTop)"))
                }
            case "order", "limit", "cursor":
                errors.append(FieldError(field: name, message: "is not a statistics parameter"))
            default:
                filters.append((name, value))
            }
        }
        var events = EventQuery()
        switch EventQuery.parse(filters) {
        case .success(let parsed): events = parsed
        case .failure(let failure): errors += failure.errors
        }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        let to = bucket.ceiling(events.to ?? now)
        let from = bucket.floor(events.from ?? to.adding(seconds: -defaultWindowSeconds))
        if from >= to {
            errors.append(FieldError(field: "to", message: "must be after from"))
        } else if (to.microseconds - from.microseconds) / bucket.microseconds > Int64(maxBuckets) {
            errors.append(
                FieldError(field: "bucket", message: "gives more than \(maxBuckets) buckets for this range; use a wider bucket or a shorter range")
            )
        }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        (events.from, events.to) = (from, to)
        return .success(StatsQuery(events: events, bucket: bucket, top: top))
    }
}
