import Foundation

extension NotificationChannel {
    static let acceptedFields: Set<String> = ["name", "kind", "config", "min_severity", "rule_ids", "events", "enabled"]

    /// Builds a channel from a create request (`base` nil: `name`, `kind` and `config` required)
    /// or applies an update to `base` (only the fields given change; a `config` without a
    /// write-only field — secret, password, Slack or Telex URL — keeps the stored one). A webhook
    /// without a secret gets a generated one. Every
    /// problem is reported with its field path (`config.url`, `rule_ids[2]`).
    public static func validate(_ value: JSONValue, onto base: NotificationChannel?, now: Timestamp) -> Result<NotificationChannel, ValidationFailure>
    {
        guard case .object(let fields) = value else {
            return .failure(ValidationFailure([FieldError(field: "", message: "must be a JSON object, got \(value.typeName)")]))
        }
        var errors = RuleErrors()
        errors.unknown(fields, allowed: acceptedFields, prefix: "")
        var channel =
            base
            ?? NotificationChannel(id: UUID.v7(at: now), name: "", config: .webhook(url: "", secret: ""), createdAt: now, updatedAt: now)
        if base == nil {
            for required in ["name", "kind", "config"] where fields[required] == nil || fields[required] == .null {
                errors.add(required, "is required")
            }
        }
        if let name = errors.string(fields, "name") {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.utf8.count > 128 { errors.add("name", "must be 1-128 bytes of UTF-8") } else { channel.name = trimmed }
        }
        var kind = base?.kind
        if let text = errors.string(fields, "kind") {
            if let parsed = ChannelKind(rawValue: text) {
                kind = parsed
            } else {
                errors.add("kind", "must be one of \(ChannelKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let config = fields["config"], config != .null, let kind {
            if let parsed = Self.config(config, kind: kind, keeping: base?.config, errors: &errors) { channel.config = parsed }
        } else if let kind, kind != base?.kind, base != nil {
            errors.add("config", "is required when the kind changes")
        }
        if let text = errors.string(fields, "min_severity") {
            if let severity = Severity(parsing: text) { channel.minSeverity = severity } else { errors.add("min_severity", "is not a severity") }
        }
        if let list = errors.strings(fields, "rule_ids", path: "rule_ids") {
            channel.ruleIDs = []
            for (index, text) in list.enumerated() {
                if let id = UUID(uuidString: text) { channel.ruleIDs.append(id) } else { errors.add("rule_ids[\(index)]", "must be a UUID") }
            }
        }
        if let list = errors.strings(fields, "events", path: "events") {
            channel.events = []
            for (index, text) in list.enumerated() {
                if let event = NotificationEvent(rawValue: text), NotificationEvent.subscribable.contains(event) {
                    channel.events.insert(event)
                } else {
                    errors.add("events[\(index)]", "must be one of \(NotificationEvent.subscribable.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if list.isEmpty { errors.add("events", "must name at least one event") }
        }
        if let enabled = errors.bool(fields, "enabled") { channel.enabled = enabled }
        channel.updatedAt = now
        return errors.list.isEmpty ? .success(channel) : .failure(ValidationFailure(errors.list))
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard text.utf8.count <= 2048, let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty, components.user == nil
        else { return false }
        return true
    }

    /// The key bytes of a `whsec_…` secret.
    public static func webhookSecretBytes(_ secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))) else { return nil }
        return Array(data)
    }

    static func newWebhookSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }
}
