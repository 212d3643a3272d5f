/// What a detection commit did to alerts.
public struct DetectionResult: Sendable, Equatable {
    public var opened: [Alert]
    public var updated: [Alert]
    /// Among `updated`, those whose count crossed 10, 100 or 1000.
    public var escalated: [Alert]
    /// Notifications queued in the same transaction.
    public var notifications: Int

    public init(opened: [Alert] = [], updated: [Alert] = [], escalated: [Alert] = [], notifications: Int = 0) {
        self.opened = opened
        self.updated = updated
        self.escalated = escalated
        self.notifications = notifications
    }

    public init(_ ledger: AlertLedger) {
        self.init(opened: ledger.openedAlerts, updated: ledger.updatedAlerts, escalated: ledger.escalatedAlerts)
    }

    /// The notification events of this result.
    public var changes: [(NotificationEvent, Alert)] {
        self.opened.map { (.alertCreated, $0) } + self.escalated.map { (.alertEscalated, $0) }
    }
}
