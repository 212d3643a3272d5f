import Foundation

/// An alert: what one rule found for one group key, deduplicated — while it is active (or
/// within the rule's `suppress_seconds` of its last event) further triggers of the same rule
/// and group add to it instead of opening another.
public struct Alert: Sendable, Equatable {
    public var id: UUID
    public var ruleID: UUID
    public var ruleName: String
    public var title: String
    public var severity: Severity
    public var status: AlertStatus
    public var groupKey: String
    /// Matching events the alert stands for (the window that opened it, plus every later trigger).
    public var count: Int
    /// Event times of the earliest and latest event counted.
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    /// Username of the analyst or admin working on it.
    public var assignee: String?
    /// The rule's `suppress_seconds` when the alert was opened.
    public var suppressSeconds: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: UUID,
        ruleID: UUID,
        ruleName: String,
        title: String,
        severity: Severity,
        status: AlertStatus = .open,
        groupKey: String,
        count: Int,
        firstSeen: Timestamp,
        lastSeen: Timestamp,
        assignee: String? = nil,
        suppressSeconds: Int = 0,
        createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.title = title
        self.severity = severity
        self.status = status
        self.groupKey = groupKey
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.assignee = assignee
        self.suppressSeconds = suppressSeconds
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Most evidence entries kept per alert (the oldest ones).
    public static let maxEvidence = 100

    /// Entries in the alert's evidence list: the first `maxEvidence` events counted.
    public var evidenceCount: Int { min(self.count, Self.maxEvidence) }
}

/// One event behind an alert, with a one-line summary so a list of evidence reads without
/// fetching every event.
public struct AlertEvidence: Sendable, Equatable {
    public var eventID: UUID
    public var occurredAt: Timestamp
    public var summary: String

    public init(eventID: UUID, occurredAt: Timestamp, summary: String) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.summary = summary
    }

    /// `type · actor · ip · description`, as far as the event has them, at most 200 characters.
    public init(_ event: Event) {
        var parts = [event.type]
        if let actor = event.actor { parts.append("actor=\(actor)") }
        if let ip = event.ip { parts.append("ip=\(ip)") }
        if let description = event.description { parts.append(description) }
        self.init(eventID: event.id, occurredAt: event.occurredAt, summary: parts.joined(separator: " · ").truncated(toUTF8Bytes: 200))
    }
}

/// One change of an alert: who, when, from which status to which, the assignee after it, why.
public struct AlertHistoryEntry: Sendable, Equatable {
    public var at: Timestamp
    public var by: String
    /// Nil for the entry that records the alert's creation.
    public var from: AlertStatus?
    public var to: AlertStatus
    public var assignee: String?
    public var note: String?

    public init(at: Timestamp, by: String, from: AlertStatus?, to: AlertStatus, assignee: String?, note: String?) {
        self.at = at
        self.by = by
        self.from = from
        self.to = to
        self.assignee = assignee
        self.note = note
    }
}

/// An alert with its evidence (oldest first) and history (oldest first).
public struct AlertDetail: Sendable, Equatable {
    public var alert: Alert
    public var evidence: [AlertEvidence]
    public var history: [AlertHistoryEntry]

    public init(alert: Alert, evidence: [AlertEvidence], history: [AlertHistoryEntry]) {
        self.alert = alert
        self.evidence = evidence
        self.history = history
    }
}
