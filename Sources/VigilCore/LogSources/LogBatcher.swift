import Synchronization

/// Gathers a listener's drafts into batches for `LogIntake`, like the writer's group commit:
/// while one batch commits, the next accumulates, so a slow commit never makes each message wait
/// for the one before. At most `capacity` drafts wait: beyond that a datagram listener's `offer`
/// refuses (the message is counted `overloaded`; the socket keeps being read), and a stream's
/// `offerWaiting` waits (the connection is not read meanwhile, so TCP slows the sender).
public final class LogBatcher: Sendable {
    public let capacity: Int
    public let maxBatch: Int
    private let pending: Mutex<[LogEventDraft]>
    private let finished = Mutex(false)
    private let wakeUps: AsyncStream<Void>
    private let doorbell: AsyncStream<Void>.Continuation

    public init(capacity: Int = 20_000, maxBatch: Int = 2_000) {
        self.capacity = capacity
        self.maxBatch = maxBatch
        self.pending = Mutex([])
        (self.wakeUps, self.doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `draft`; false when `capacity` drafts already wait.
    public func offer(_ draft: LogEventDraft) -> Bool {
        let accepted = self.pending.withLock { pending in
            guard pending.count < self.capacity else { return false }
            pending.append(draft)
            return true
        }
        if accepted { self.doorbell.yield() }
        return accepted
    }

    /// Queues all of `drafts`, waiting while `capacity` already wait. Once the task is
    /// cancelled (shutdown) the rest is queued regardless: it was read, so it is committed.
    public func offerWaiting(_ drafts: [LogEventDraft]) async {
        var rest = drafts[...]
        while !rest.isEmpty {
            let force = Task.isCancelled
            let taken = self.pending.withLock { pending -> Int in
                let room = force ? rest.count : min(rest.count, max(0, self.capacity - pending.count))
                pending.append(contentsOf: rest.prefix(room))
                return room
            }
            rest = rest.dropFirst(taken)
            if taken > 0 { self.doorbell.yield() }
            if !rest.isEmpty { try? await Task.sleep(for: .milliseconds(2)) }
        }
    }

    /// No more offers will come: `run` commits what waits and returns.
    public func finish() {
        self.finished.withLock { $0 = true }
        self.doorbell.finish()
    }

    /// Commits batches until `finish()`, then the rest. Run by one task. `overloadPatience`:
    /// how long a full writer queue is waited out before a batch is dropped (see `LogIntake`).
    public func run(into intake: LogIntake, overloadPatience: Duration = .zero) async {
        for await _ in self.wakeUps {
            await self.drain(into: intake, overloadPatience: overloadPatience)
        }
        // The wake-ups also end when this task is cancelled (shutdown): the reader may still
        // queue what it read until it calls `finish()`, and that is committed too.
        while !self.finished.withLock({ $0 }) {
            await self.drain(into: intake, overloadPatience: overloadPatience)
            await Task.yield()
        }
        await self.drain(into: intake, overloadPatience: overloadPatience)
    }

    private func drain(into intake: LogIntake, overloadPatience: Duration) async {
        while true {
            let batch = self.pending.withLock { pending -> [LogEventDraft] in
                let count = min(pending.count, self.maxBatch)
                defer { pending.removeFirst(count) }
                return Array(pending.prefix(count))
            }
            if batch.isEmpty { return }
            await intake.submit(batch, overloadPatience: overloadPatience)
        }
    }
}
