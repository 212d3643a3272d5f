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
