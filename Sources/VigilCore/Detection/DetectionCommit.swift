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
