import Foundation

/// How far detection has read the log: the position after the last evaluated event, and the
/// newest event time evaluated (a restart replays the threshold windows back from it).
public struct DetectorCheckpoint: Sendable, Equatable {
    public var position: LogPosition?
    public var newestEventTime: Timestamp?

    public init(position: LogPosition?, newestEventTime: Timestamp?) {
        self.position = position
        self.newestEventTime = newestEventTime
    }
}

/// One step of detection, applied all or nothing: the triggers of a run of log events and the
/// checkpoint after them.
public struct DetectionCommit: Sendable {
    /// The checkpoint the detector started from (nil: none stored yet). If the stored one
    /// differs — another detector moved it — nothing is written and
    /// `VigilError.detectorCheckpointMoved` is thrown.
    public var expected: DetectorCheckpoint?
    public var next: DetectorCheckpoint
    public var triggers: [Trigger]
    public var now: Timestamp

    public init(expected: DetectorCheckpoint?, next: DetectorCheckpoint, triggers: [Trigger], now: Timestamp) {
        self.expected = expected
        self.next = next
        self.triggers = triggers
        self.now = now
    }
}

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

/// Durable alerts, their evidence and history, and the detector's checkpoint.
public protocol AlertStore: Sendable {
    func detectorCheckpoint() async throws -> DetectorCheckpoint?

    /// In one transaction: checks `commit.expected` against the stored checkpoint, loads the
    /// newest alert of every (rule, group key) the triggers name, applies `AlertLedger`, writes
    /// opened and updated alerts, new evidence, a history entry per opened alert, one
    /// `alert.created` event per opened alert into the event log, the outbox entries of the
    /// enabled channels that want the changes (`OutboxEntry.plan`), and `commit.next`.
    func commitDetection(_ commit: DetectionCommit) async throws -> DetectionResult

    func alerts(matching query: AlertQuery) async throws -> AlertPage

    /// The alert with its evidence and history; nil if there is none.
    func alert(id: UUID) async throws -> AlertDetail?

    /// Applies `update` (see `AlertUpdate.apply`) to the alert as it is in the transaction,
    /// appends the history entry and queues `alert.updated` notifications; returns the alert
    /// before and after (nil if there is none).
    func updateAlert(id: UUID, _ update: AlertUpdate, by actor: String, at time: Timestamp) async throws -> (before: Alert, after: Alert)?
}

extension VigilError {
    /// Another detector advanced the checkpoint (two nodes both believed they lead).
    public static let detectorCheckpointMoved = VigilError.conflict(
        code: "detector_checkpoint_moved",
        detail: "The detection checkpoint was moved by another detector."
    )
}
