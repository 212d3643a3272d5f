import Foundation

extension NewEvent {
    /// Top-level fields a client may send; anything else is rejected by name.
    public static let acceptedFields: Set<String> = [
        "id", "type", "occurred_at", "severity", "outcome", "actor", "entity_type", "entity_id",
        "source", "ip", "location", "description", "details",
    ]
    /// Limits are in UTF-8 bytes (a grapheme cluster can be any number of bytes long).
    /// Events in one batch or NDJSON request.
    public static let maxBatchEvents = 1000
    public static let maxShortFieldLength = 256
    public static let maxDescriptionLength = 4096
    public static let maxDetailsBytes = 32 * 1024
    public static let maxDetailsDepth = 16
    /// How far in the future `occurred_at` may be, to absorb clock skew.
    public static let maxFutureSkewSeconds: Int64 = 300

    /// Validates one submitted event. Collects every problem instead of stopping at the first,
    /// so clients can fix a payload in one round trip.
    public static func validate(_ value: JSONValue, now: Timestamp) -> Result<NewEvent, ValidationFailure> {
        guard case .object(let fields) = value else {
            return .failure(ValidationFailure([FieldError(field: "", message: "must be a JSON object, got \(value.typeName)")]))
        }
        var errors: [FieldError] = []
        for key in fields.keys.sorted() where !acceptedFields.contains(key) {
            errors.append(FieldError(field: key, message: "unknown field"))
        }
        var reader = FieldReader(fields: fields)
        var event = NewEvent(type: "")

        if let text = reader.string("id") {
            if let id = UUID(canonical: text) { event.clientID = id } else { reader.fail("id", "must be a UUID") }
        }
        if let type = reader.string("type") {
            if EventType.isValid(type) {
                event.type = type
            } else {
                reader.fail("type", "must be 1-128 characters of A-Z a-z 0-9 _ . : -")
            }
        } else if fields["type"] == nil || fields["type"] == .null {
            reader.fail("type", "is required")
        }
        if let text = reader.string("occurred_at") {
            if let time = Timestamp(rfc3339: text) {
                if time > now.adding(seconds: maxFutureSkewSeconds) {
                    reader.fail("occurred_at", "must not be more than \(maxFutureSkewSeconds) seconds in the future")
                } else {
                    event.occurredAt = time
                }
            } else {
                reader.fail("occurred_at", "must be an RFC 3339 date-time in the years 0001-9999, e.g. 2026-01-31T12:00:00Z")
            }
        }
        if let text = reader.string("severity") {
            if let severity = Severity(parsing: text) {
                event.severity = severity
            } else {
                reader.fail("severity", "must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let text = reader.string("outcome") {
            if let outcome = Outcome(parsing: text) {
                event.outcome = outcome
            } else {
                reader.fail("outcome", "must be one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        event.actor = reader.string("actor", maxLength: maxShortFieldLength)
        event.entityType = reader.string("entity_type", maxLength: maxShortFieldLength)
        event.entityID = reader.string("entity_id", maxLength: maxShortFieldLength)
        event.source = reader.string("source", maxLength: maxShortFieldLength)
        event.location = reader.string("location", maxLength: maxShortFieldLength)
        event.description = reader.string("description", maxLength: maxDescriptionLength)
        if let text = reader.string("ip") {
            if let address = IPAddress(text) { event.ip = address } else { reader.fail("ip", "must be an IPv4 or IPv6 address") }
        }
        if let details = fields["details"], details != .null {
            if case .object = details {
                if details.depth > maxDetailsDepth {
                    reader.fail("details", "must not nest deeper than \(maxDetailsDepth) levels")
                } else if details.containsNUL {
                    reader.fail("details", FieldReader.nulMessage)
                } else {
                    let json = details.canonicalJSON
                    if json.utf8.count > maxDetailsBytes {
                        reader.fail("details", "must be at most \(maxDetailsBytes) bytes as JSON")
                    } else {
                        event.details = json
                    }
                }
            } else {
                reader.fail("details", "must be a JSON object, got \(details.typeName)")
            }
        }
        errors += reader.errors
        return errors.isEmpty ? .success(event) : .failure(ValidationFailure(errors))
    }
}
