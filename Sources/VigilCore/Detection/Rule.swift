import Foundation

/// A detection rule: which events it looks at (`match`), whether it needs several of them in a
/// time window (`threshold`), and how the alerts it raises are graded and deduplicated.
public struct Rule: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var description: String
    public var enabled: Bool
    public var severity: RuleSeverity
    public var match: RuleMatch
    public var threshold: RuleThreshold?
    /// While an alert of this rule and group key is open, or for this long after it was last
    /// seen, new triggers add to it instead of opening another.
    public var suppressSeconds: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: UUID,
        name: String,
        description: String = "",
        enabled: Bool = true,
        severity: RuleSeverity,
        match: RuleMatch,
        threshold: RuleThreshold? = nil,
        suppressSeconds: Int = 0,
        createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.enabled = enabled
        self.severity = severity
        self.match = match
        self.threshold = threshold
        self.suppressSeconds = suppressSeconds
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The group an event falls in under this rule: by the threshold's `group_by` fields, or —
    /// for a rule without threshold — the event itself, so each event raises its own alert.
    public func groupKey(for event: Event) -> String {
        self.threshold?.groupKey(for: event) ?? "event=\(event.id.lowercased)"
    }

    /// The severity of the alert `event` raises.
    public func alertSeverity(for event: Event) -> Severity {
        switch self.severity {
        case .fixed(let severity): severity
        case .fromEvent: event.severity
        }
    }
}

/// The severity of a rule's alerts: a fixed level or the triggering event's.
public enum RuleSeverity: Sendable, Equatable {
    case fixed(Severity)
    case fromEvent

    public var text: String {
        switch self {
        case .fixed(let severity): severity.rawValue
        case .fromEvent: "from_event"
        }
    }

    public init?(text: String) {
        if text.lowercased() == "from_event" {
            self = .fromEvent
        } else if let severity = Severity(parsing: text) {
            self = .fixed(severity)
        } else {
            return nil
        }
    }
}

extension Rule {
    /// `Rule name: ip=203.0.113.9` for a threshold rule; `Rule name: type (actor)` for a rule
    /// that raises one alert per event. At most 200 characters.
    public func alertTitle(for event: Event) -> String {
        var subject: String
        if let threshold = self.threshold, !threshold.groupBy.isEmpty {
            subject = threshold.groupBy.map { "\($0.rawValue)=\($0.value(in: event) ?? "")" }.joined(separator: " ")
        } else {
            subject = event.type
            if let actor = event.actor { subject += " (\(actor))" }
        }
        return "\(self.name): \(subject)".truncated(toUTF8Bytes: 200)
    }
}
