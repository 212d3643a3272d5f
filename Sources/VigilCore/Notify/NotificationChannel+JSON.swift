import Foundation

extension NotificationChannel {
    /// What both stores keep (secrets included) and `validate` reads back, without id and times.
    public var definition: JSONValue {
        var config: [String: JSONValue] = [:]
        switch self.config {
        case .webhook(let url, let secret):
            config = ["url": .string(url), "secret": .string(secret)]
        }
        return .object([
            "name": .string(self.name),
            "kind": .string(self.kind.rawValue),
            "config": .object(config),
            "min_severity": .string(self.minSeverity.rawValue),
            "rule_ids": .array(self.ruleIDs.map { .string($0.lowercased) }),
            "events": .array(NotificationEvent.subscribable.filter(self.events.contains).map { .string($0.rawValue) }),
            "enabled": .bool(self.enabled),
        ])
    }

    /// A stored channel; nil if its stored definition no longer validates (never expected).
    public static func stored(id: UUID, definition text: String, createdAt: Timestamp, updatedAt: Timestamp) -> NotificationChannel? {
        guard let json = try? JSONParser.parse(Array(text.utf8)),
            case .success(var channel) = NotificationChannel.validate(json, onto: nil, now: updatedAt)
        else { return nil }
        channel.id = id
        channel.createdAt = createdAt
        channel.updatedAt = updatedAt
        return channel
    }

    /// The API representation: secrets replaced by `secret_set`; `revealSecret` adds the
    /// secret itself (only in the answer that created it, when Vigil generated it).
    public func json(revealSecret: Bool = false) -> String {
        guard case .object(var members) = self.redactedDefinition, case .object(var config) = members["config"] else { return "{}" }
        if revealSecret, case .webhook(_, let secret) = self.config {
            config["secret"] = .string(secret)
            members["config"] = .object(config)
        }
        members["id"] = .string(self.id.lowercased)
        members["created_at"] = .string(self.createdAt.rfc3339)
        members["updated_at"] = .string(self.updatedAt.rfc3339)
        return JSONValue.object(members).canonicalJSON
    }

    /// The definition without secrets (audit details).
    public var redactedDefinition: JSONValue {
        guard case .object(var members) = self.definition, case .object(var config) = members["config"] else { return .null }
        if config.removeValue(forKey: "secret") != nil { config["secret_set"] = .bool(true) }
        members["config"] = .object(config)
        return .object(members)
    }
}
