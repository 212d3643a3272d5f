import VigilCore

/// One notification read back for people: the alert as it was when the change committed (the
/// outbox payload) and what happened to it.
struct AlertNotice: Sendable, Equatable {
    var event: NotificationEvent
    var alertID: String
    var ruleName: String
    var title: String
    var severity: Severity
    var status: String
    var groupKey: String
    var count: Int
    var firstSeen: String
    var lastSeen: String
    var assignee: String?

    /// An alert as it is now (Telex digests), reported as `event`.
    init(_ alert: Alert, event: NotificationEvent) {
        self.event = event
        self.alertID = alert.id.lowercased
        self.ruleName = alert.ruleName
        self.title = alert.title
        self.severity = alert.severity
        self.status = alert.status.rawValue
        self.groupKey = alert.groupKey
        self.count = alert.count
        self.firstSeen = alert.firstSeen.rfc3339
        self.lastSeen = alert.lastSeen.rfc3339
        self.assignee = alert.assignee
    }

    init(_ entry: OutboxEntry) {
        var fields: [String: JSONValue] = [:]
        if case .object(let members)? = try? JSONParser.parse(Array(entry.payload.utf8)) { fields = members }
        func text(_ name: String) -> String? {
            if case .string(let value)? = fields[name] { return value }
            return nil
        }
        self.event = entry.event
        self.alertID = text("id") ?? entry.alertID.lowercased
        self.ruleName = text("rule_name") ?? "unknown rule"
        self.title = text("title") ?? "alert"
        self.severity = text("severity").flatMap(Severity.init(parsing:)) ?? .info
        self.status = text("status") ?? "open"
        self.groupKey = text("group_key") ?? ""
        if case .int(let count)? = fields["count"] { self.count = Int(count) } else { self.count = 1 }
        self.firstSeen = text("first_seen") ?? ""
        self.lastSeen = text("last_seen") ?? ""
        self.assignee = text("assignee")
    }

    /// "opened", "escalated", "updated (resolved)", "test".
    var happened: String {
        switch self.event {
        case .alertCreated: "opened"
        case .alertEscalated: "escalated"
        case .alertUpdated: "\(self.status)"
        case .channelTest: "test"
        }
    }

    /// `[HIGH] opened: <title> (count 5, ip=10.0.0.1)`.
    var line: String {
        var details = ["count \(self.count)"]
        if !self.groupKey.isEmpty { details.append(self.groupKey) }
        return "[\(self.severity.rawValue.uppercased())] \(self.happened): \(self.title) (\(details.joined(separator: ", ")))"
    }
}
