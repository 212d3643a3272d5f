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

    /// Runs `body` with the wake-ups (the iterator ends when the task is cancelled), plus one
    /// every `interval` for what no local notification announces.
    public func withWakeUps<T>(polling interval: Duration, _ body: (inout AsyncStream<Void>.Iterator) async -> T) async -> T {
        let ticker = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                self.notify()
            }
        }
        defer { ticker.cancel() }
        var wakeUps = self.stream.makeAsyncIterator()
        return await body(&wakeUps)
    }
}
