import Foundation

extension NotificationChannel {
    /// What both stores keep (secrets included) and `validate` reads back, without id and times.
    public var definition: JSONValue {
        .object([
            "name": .string(self.name),
            "kind": .string(self.kind.rawValue),
            "config": .object(self.config.fields),
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

    /// What audit records keep: `redactedDefinition` without the Telex `channel_id` either
    /// (audit events reach `events:read` keys, and a tick names its channel by that id).
    public var auditDefinition: JSONValue {
        guard case .object(var members) = self.redactedDefinition, case .object(var config) = members["config"] else { return .null }
        if config.removeValue(forKey: "channel_id") != nil { config["channel_id_set"] = .bool(true) }
        members["config"] = .object(config)
        return .object(members)
    }

    /// The definition without secrets (API answers, audit details): each write-only field is
    /// replaced by `<field>_set: true`.
    public var redactedDefinition: JSONValue {
        guard case .object(var members) = self.definition, case .object(var config) = members["config"] else { return .null }
        for field in self.kind.writeOnlyConfigFields where config.removeValue(forKey: field) != nil {
            config[field + "_set"] = .bool(true)
        }
        members["config"] = .object(config)
        return .object(members)
    }
}

extension ChannelKind {
    /// Config fields that are credentials: accepted, stored, never returned.
    public var writeOnlyConfigFields: [String] {
        switch self {
        case .webhook: ["secret"]
        case .slack, .telex: ["url"]
        case .email: ["password"]
        }
    }
}

extension ChannelConfig {
    /// Every field, credentials included (what the stores keep).
    var fields: [String: JSONValue] {
        switch self {
        case .webhook(let url, let secret):
            return ["url": .string(url), "secret": .string(secret)]
        case .slack(let url):
            return ["url": .string(url)]
        case .telex(let url, let channelID):
            var fields: [String: JSONValue] = ["url": .string(url)]
            if let channelID { fields["channel_id"] = .string(channelID) }
            return fields
        case .email(let settings):
            var fields: [String: JSONValue] = [
                "host": .string(settings.host), "port": .int(Int64(settings.port)), "security": .string(settings.security.rawValue),
                "from": .string(settings.from), "to": .array(settings.to.map { .string($0) }),
            ]
            if let username = settings.username { fields["username"] = .string(username) }
            if let password = settings.password { fields["password"] = .string(password) }
            return fields
        }
    }
}
