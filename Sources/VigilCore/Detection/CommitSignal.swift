/// Wakes the detector when something may have been appended to the log: the `EventWriter`
/// after each commit, and the detector's own poll timer (commits of other nodes, late
/// transactions on PostgreSQL). Wake-ups coalesce: many notifications while the detector is
/// busy become one.
///
/// One consumer at a time (`wakeUps` is iterated by the running detector only).
public struct CommitSignal: Sendable {
    let stream: AsyncStream<Void>
    let continuation: AsyncStream<Void>.Continuation

    public init() {
        (self.stream, self.continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func notify() {
        self.continuation.yield()
    }
}
