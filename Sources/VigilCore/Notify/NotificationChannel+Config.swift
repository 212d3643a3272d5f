import Foundation

extension NotificationChannel {
    static let acceptedConfigFields: [ChannelKind: Set<String>] = [
        .webhook: ["url", "secret"],
        .slack: ["url"],
        .telex: ["url", "channel_id"],
        .email: ["host", "port", "security", "username", "password", "from", "to"],
    ]

    /// The `config` of one kind. Write-only fields left out keep their value in `old` when it
    /// is of the same kind (a PATCH need not repeat credentials).
    static func config(_ value: JSONValue, kind: ChannelKind, keeping old: ChannelConfig?, errors: inout RuleErrors) -> ChannelConfig? {
        guard case .object(let fields) = value else {
            errors.add("config", "must be a JSON object, got \(value.typeName)")
            return nil
        }
        errors.unknown(fields, allowed: Self.acceptedConfigFields[kind] ?? [], prefix: "config.")
        switch kind {
        case .webhook:
            var keptSecret: String?
            if case .webhook(_, let secret)? = old { keptSecret = secret }
            let url = Self.url(fields, kept: nil, errors: &errors)
            var secret: String?
            if let given = errors.string(fields, "secret", path: "config.secret") {
                if Self.webhookSecretBytes(given).map({ $0.count >= 24 && $0.count <= 64 }) == true {
                    secret = given
                } else {
                    errors.add("config.secret", "must be whsec_ followed by base64 of 24 to 64 bytes")
                }
            } else if fields["secret"] == nil || fields["secret"] == .null {
                secret = keptSecret ?? Self.newWebhookSecret()
            }
            guard let url, let secret else { return nil }
            return .webhook(url: url, secret: secret)
        case .slack:
            var kept: String?
            if case .slack(let url)? = old { kept = url }
            return Self.url(fields, kept: kept, errors: &errors).map { .slack(url: $0) }
        case .telex:
            var kept: String?
            if case .telex(let url, _)? = old { kept = url }
            let url = Self.url(fields, kept: kept, errors: &errors)
            let channelID = errors.string(fields, "channel_id", path: "config.channel_id")
            if let channelID, channelID.isEmpty || channelID.utf8.count > 128 || !channelID.allSatisfy(\.isTelexIDCharacter) {
                errors.add("config.channel_id", "must be 1-128 letters, digits, '-' or '_'")
                return nil
            }
            return url.map { .telex(url: $0, channelID: channelID) }
        case .email:
            var kept: EmailSettings?
            if case .email(let settings)? = old { kept = settings }
            return Self.email(fields, keeping: kept, errors: &errors).map { .email($0) }
        }
    }

    /// `config.url`: required unless `kept` (a write-only URL stored before) stands in.
    private static func url(_ fields: [String: JSONValue], kept: String?, errors: inout RuleErrors) -> String? {
        guard let url = errors.string(fields, "url", path: "config.url") else {
            if fields["url"] == nil || fields["url"] == .null {
                if let kept { return kept }
                errors.add("config.url", "is required")
            }
            return nil
        }
        guard Self.isHTTPURL(url) else {
            errors.add("config.url", "must be an http or https URL of at most 2048 characters")
            return nil
        }
        return url
    }

    private static func email(_ fields: [String: JSONValue], keeping old: EmailSettings?, errors: inout RuleErrors) -> EmailSettings? {
        let before = errors.list.count
        var security = EmailSettings.Security.starttls
        if let text = errors.string(fields, "security", path: "config.security") {
            if let parsed = EmailSettings.Security(rawValue: text) {
                security = parsed
            } else {
                errors.add("config.security", "must be one of none, starttls, tls")
            }
        }
        let host = errors.string(fields, "host", path: "config.host")
        if host == nil, fields["host"] == nil { errors.add("config.host", "is required") }
        if let host, host.isEmpty || host.utf8.count > 253 || !host.allSatisfy(\.isHostCharacter) {
            errors.add("config.host", "must be a host name or IP address")
        }
        let port = errors.int(fields, "port", in: 1...65535, path: "config.port") ?? security.defaultPort
        let username = errors.string(fields, "username", path: "config.username")
        if let username, username.isEmpty || username.utf8.count > 256 || username.contains(where: \.isNewline) {
            errors.add("config.username", "must be 1-256 characters on one line")
        }
        var password = errors.string(fields, "password", path: "config.password")
        if let given = password, given.isEmpty || given.utf8.count > 256 || given.contains(where: \.isNewline) {
            errors.add("config.password", "must be 1-256 characters on one line")
        }
        if password == nil, username != nil, let old, username == old.username {
            // The stored password goes only where it went before: pointing the channel at
            // another server (or dropping TLS) without giving it again would hand it over.
            if host?.lowercased() == old.host.lowercased(), port == old.port, security == old.security {
                password = old.password
            } else {
                errors.add("config.password", "must be given again when host, port or security change")
            }
        }
        if (username == nil) != (password == nil), !errors.list.contains(where: { $0.field == "config.password" }) {
            errors.add("config.password", "username and password go together")
        }
        let from = errors.string(fields, "from", path: "config.from")
        if from == nil, fields["from"] == nil { errors.add("config.from", "is required") }
        if let from, !EmailSettings.isAddress(from) { errors.add("config.from", "must be an email address") }
        var to: [String] = []
        switch fields["to"] {
        case .some(.array(let items)) where (1...50).contains(items.count):
            for (index, item) in items.enumerated() {
                if case .string(let address) = item, EmailSettings.isAddress(address) {
                    to.append(address)
                } else {
                    errors.add("config.to[\(index)]", "must be an email address")
                }
            }
        case .none, .some(.null): errors.add("config.to", "is required")
        case .some: errors.add("config.to", "must be an array of 1 to 50 email addresses")
        }
        guard errors.list.count == before, let host, let from else { return nil }
        return EmailSettings(host: host, port: port, security: security, username: username, password: password, from: from, to: to)
    }
}

extension Character {
    fileprivate var isTelexIDCharacter: Bool { self.isASCII && (self.isLetter || self.isNumber || self == "-" || self == "_") }
    fileprivate var isHostCharacter: Bool {
        self.isASCII && (self.isLetter || self.isNumber || ".-:[]".contains(self))
    }
}
