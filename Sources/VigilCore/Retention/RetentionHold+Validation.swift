import Foundation

extension RetentionHold {
    static let acceptedFields: Set<String> = ["name", "reason", "from", "to", "type", "actor", "entity_id"]

    /// A new hold from an API body: `name` (1-128 bytes) required; `reason` (≤ 1024), `from`,
    /// `to` (RFC 3339, from < to), `type` (a type or `prefix.*`), `actor`, `entity_id` optional.
    public static func validate(_ value: JSONValue, createdBy: String, now: Timestamp) -> Result<RetentionHold, ValidationFailure> {
        guard case .object(let fields) = value else {
            return .failure(ValidationFailure([FieldError(field: "", message: "must be a JSON object, got \(value.typeName)")]))
        }
        var reader = FieldReader(fields: fields)
        for key in fields.keys.sorted() where !acceptedFields.contains(key) { reader.fail(key, "unknown field") }
        let name = reader.string("name", maxLength: 128)
        if fields["name"] == nil || name?.isEmpty == true { reader.fail("name", "is required") }
        let reason = reader.string("reason", maxLength: 1024)
        func time(_ field: String) -> Timestamp? {
            guard let text = reader.string(field) else { return nil }
            guard let time = Timestamp(rfc3339: text) else {
                reader.fail(field, "must be an RFC 3339 date-time")
                return nil
            }
            return time
        }
        let from = time("from")
        let to = time("to")
        if let from, let to, to <= from { reader.fail("to", "must be after from") }
        let type = reader.string("type", maxLength: 128)
        if let type, RetentionPolicy.selector(type).map({ if case .severity = $0 { false } else { true } }) != true {
            reader.fail("type", "must be an event type or a prefix ending in .*")
        }
        let actor = reader.string("actor", maxLength: NewEvent.maxShortFieldLength)
        let entityID = reader.string("entity_id", maxLength: NewEvent.maxShortFieldLength)
        guard reader.errors.isEmpty, let name else { return .failure(ValidationFailure(reader.errors)) }
        return .success(
            RetentionHold(
                id: UUID.v7(),
                name: name,
                reason: reason,
                from: from,
                to: to,
                type: type,
                actor: actor,
                entityID: entityID,
                createdBy: createdBy,
                createdAt: now
            )
        )
    }
}
