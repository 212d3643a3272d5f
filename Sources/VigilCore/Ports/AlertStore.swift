import Foundation

/// Durable alerts, their evidence and history, and the detector's checkpoint.
public protocol AlertStore: Sendable {
    func detectorCheckpoint() async throws -> DetectorCheckpoint?

    /// In one transaction, in this order (both adapters number their steps alike):
    /// 1. checks `commit.expected` against the stored checkpoint (locked; a deposed detector fails);
    /// 2. loads the newest alert of every (rule, group key) the triggers name (locked);
    /// 3. applies `AlertLedger`;
    /// 4. writes opened and updated alerts, new evidence, a history entry and an `alert.created`
    ///    event per opened alert;
    /// 5. queues the outbox entries of the enabled channels that want the changes (`OutboxEntry.plan`);
    /// 6. stores `commit.next`.
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
