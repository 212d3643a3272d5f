/// What the background sender has done since start.
public struct VigilClientStats: Sendable, Hashable {
    /// Events Vigil stored.
    public var sent = 0
    /// Events Vigil already had (a retry after a lost answer): stored once.
    public var duplicates = 0
    /// Events `send` did not queue because the queue was full (or the client shut down).
    public var dropped = 0
    /// Events Vigil refused (invalid, or an id reused with other content).
    public var rejected = 0
    /// Events still queued when shutdown gave up.
    public var lost = 0
    /// Delivery attempts that failed and were retried.
    public var retries = 0
    /// Events queued now, the batch being delivered included.
    public var queued = 0

    public init() {}
}
