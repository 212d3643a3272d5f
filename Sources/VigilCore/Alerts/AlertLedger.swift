import Foundation

/// Turns triggers into alert changes — the deduplication rule, pure, so the stores (live
/// detection) and backtests decide alike.
///
/// For each trigger, the newest alert of its rule and group key decides: if it is active
/// (open or acknowledged), or the trigger's event lies within the alert's `suppress_seconds`
/// after its `last_seen`, the trigger adds to it (`count` + 1, `last_seen`, one more evidence
/// entry while fewer than `Alert.maxEvidence`); otherwise the trigger opens a new alert whose
/// count and evidence are the trigger's window.
public struct AlertLedger: Sendable {
    public struct Key: Hashable, Sendable {
        public var ruleID: UUID
        public var groupKey: String

        public init(ruleID: UUID, groupKey: String) {
            self.ruleID = ruleID
            self.groupKey = groupKey
        }
    }

    /// The newest alert of every key seen so far (given or opened).
    public private(set) var latest: [Key: Alert]
    /// Alerts opened by this ledger, in opening order.
    public private(set) var opened: [UUID] = []
    /// Alerts given to the ledger that triggers added to.
    public private(set) var touched: Set<UUID> = []
    /// Counts of the given alerts before the first trigger added to them.
    private var originalCounts: [UUID: Int] = [:]
    /// Evidence to append, per alert, oldest first.
    public private(set) var newEvidence: [UUID: [AlertEvidence]] = [:]
    let now: Timestamp

    /// `existing`: the newest stored alert of each key the triggers may touch.
    public init(existing: [Alert], now: Timestamp) {
        var latest: [Key: Alert] = [:]
        for alert in existing {
            let key = Key(ruleID: alert.ruleID, groupKey: alert.groupKey)
            if latest[key].map({ alert.createdAt > $0.createdAt }) ?? true { latest[key] = alert }
        }
        self.latest = latest
        self.now = now
    }

    /// Every key the triggers name (what a store must look up first).
    public static func keys(of triggers: [Trigger]) -> Set<Key> {
        Set(triggers.map { Key(ruleID: $0.ruleID, groupKey: $0.groupKey) })
    }

    public mutating func apply(_ trigger: Trigger) {
        let key = Key(ruleID: trigger.ruleID, groupKey: trigger.groupKey)
        let time = trigger.event.occurredAt
        if var alert = self.latest[key], Self.absorbs(alert, at: time) {
            if alert.count < Alert.maxEvidence { self.newEvidence[alert.id, default: []].append(AlertEvidence(trigger.event)) }
            alert.count += 1
            alert.firstSeen = min(alert.firstSeen, time)
            alert.lastSeen = max(alert.lastSeen, time)
            alert.severity = max(alert.severity, trigger.severity)
            alert.updatedAt = max(alert.updatedAt, self.now)
            self.latest[key] = alert
            if !self.opened.contains(alert.id) {
                self.touched.insert(alert.id)
                if self.originalCounts[alert.id] == nil { self.originalCounts[alert.id] = alert.count - 1 }
            }
            return
        }
        let window = trigger.window.isEmpty ? [AlertEvidence(trigger.event)] : trigger.window
        // A microsecond apart, so alerts opened in one step list in the order of their events.
        let createdAt = Timestamp(microseconds: self.now.microseconds + Int64(self.opened.count))
        let alert = Alert(
            id: UUID.v7(at: createdAt),
            ruleID: trigger.ruleID,
            ruleName: trigger.ruleName,
            title: trigger.title,
            severity: trigger.severity,
            groupKey: trigger.groupKey,
            count: max(trigger.windowCount, 1),
            firstSeen: window.map(\.occurredAt).min() ?? time,
            lastSeen: max(window.map(\.occurredAt).max() ?? time, time),
            suppressSeconds: trigger.suppressSeconds,
            createdAt: createdAt,
            updatedAt: createdAt
        )
        self.latest[key] = alert
        self.opened.append(alert.id)
        self.newEvidence[alert.id] = Array(window.prefix(Alert.maxEvidence))
    }

    /// Whether a trigger at event time `time` adds to `alert` rather than opening another.
    static func absorbs(_ alert: Alert, at time: Timestamp) -> Bool {
        alert.status.isActive || time <= alert.lastSeen.adding(seconds: Int64(alert.suppressSeconds))
    }

    /// The alerts opened, in order, as they stand now.
    public var openedAlerts: [Alert] {
        let byID = Dictionary(uniqueKeysWithValues: self.latest.values.map { ($0.id, $0) })
        return self.opened.compactMap { byID[$0] }
    }

    /// The given alerts whose count crossed an escalation count (10, 100, 1000) in this step.
    /// (An alert opened in the step is announced with its count as it stands; no escalation.)
    public var escalatedAlerts: [Alert] {
        self.updatedAlerts.filter { alert in
            NotificationEvent.escalation(from: self.originalCounts[alert.id] ?? alert.count, to: alert.count) != nil
        }
    }

    /// The given alerts that triggers added to, as they stand now.
    public var updatedAlerts: [Alert] {
        self.latest.values.filter { self.touched.contains($0.id) }.sorted { $0.createdAt < $1.createdAt }
    }
}
