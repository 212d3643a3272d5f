import VigilCore

/// Several notifications collapsed into one message for people (Slack, Telex, email): a
/// headline that accounts for every one, then the most severe first.
struct NoticeDigest: Sendable {
    let notices: [AlertNotice]

    init(_ entries: [OutboxEntry]) {
        self.init(notices: entries.map(AlertNotice.init))
    }

    init(notices: [AlertNotice]) {
        // Most severe first; within a severity, in the order they happened.
        self.notices = notices.enumerated()
            .sorted { ($0.element.severity, $1.offset) > ($1.element.severity, $0.offset) }
            .map(\.element)
    }

    var isSingle: Bool { self.notices.count == 1 }

    /// The highest severity among them.
    var severity: Severity { self.notices.map(\.severity).max() ?? .info }

    /// One notification: `[HIGH] Alert opened: <title>`; several: `12 alert notifications:
    /// 10 opened, 2 escalated — 2 critical, 10 high`.
    var headline: String {
        if self.isSingle, let notice = self.notices.first {
            if notice.event == .channelTest { return "Vigil test message: \(notice.title)" }
            return "[\(notice.severity.rawValue.uppercased())] Alert \(notice.happened): \(notice.title)"
        }
        let happenings = Self.tally(self.notices.map(\.happened)).map { "\($0.count) \($0.key)" }
        let severities = Self.tally(self.notices.map(\.severity.rawValue)).map { "\($0.count) \($0.key)" }
        return "\(self.notices.count) alert notifications: \(happenings.joined(separator: ", ")) — \(severities.joined(separator: ", "))"
    }

    /// Lines for each notification, at most `limit` and then one saying how many more, so the
    /// message stays within the receiver's size limits whatever the burst.
    func lines(limit: Int) -> [String] {
        var lines = self.notices.prefix(limit).map(\.line)
        if self.notices.count > limit { lines.append("… and \(self.notices.count - limit) more") }
        return lines
    }

    /// The detail lines of a single notification.
    var detailLines: [String] {
        guard let notice = self.notices.first else { return [] }
        var lines = ["Rule: \(notice.ruleName)", "Severity: \(notice.severity.rawValue) · Status: \(notice.status) · Count: \(notice.count)"]
        if !notice.groupKey.isEmpty { lines.append("Group: \(notice.groupKey)") }
        lines.append("First seen \(notice.firstSeen) · last seen \(notice.lastSeen)")
        if let assignee = notice.assignee { lines.append("Assignee: \(assignee)") }
        lines.append("Alert \(notice.alertID)")
        return lines
    }

    /// Counts of each value, most frequent first (then by name, so the text is stable).
    static func tally(_ values: [String]) -> [(key: String, count: Int)] {
        Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +).map { (key: $0.key, count: $0.value) }
            .sorted { ($0.count, $1.key) > ($1.count, $0.key) }
    }
}
