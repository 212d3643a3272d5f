/// A doorbell for one follower of the database: something it waits for may have happened.
/// Two are rung today: `committed` (the `EventWriter` after each commit wakes the detector)
/// and `notifications` (the detector or a request that queued outbox rows wakes the
/// deliverer). Each follower also polls on its own timer for what no local ring announces
/// (other nodes' commits, late transactions on PostgreSQL). Rings coalesce: many while the
/// follower is busy become one.
///
/// One consumer at a time (the wake-ups are iterated by the one running follower).
public struct WakeSignal: Sendable {
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
