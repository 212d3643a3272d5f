import Synchronization

/// Gathers drafts from a datagram listener into batches for `LogIntake`, like the writer's
/// group commit: while one batch commits, the next accumulates. At most `capacity` drafts wait;
/// beyond that `offer` refuses (the listener counts the message as `overloaded`), so a flood
/// costs bounded memory and never slows the socket's reads.
public final class LogBatcher: Sendable {
    public let capacity: Int
    public let maxBatch: Int
    private let pending: Mutex<[LogEventDraft]>
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

    /// No more offers will come: `run` commits what waits and returns.
    public func finish() {
        self.doorbell.finish()
    }

    /// Commits batches until `finish()`, then the rest. Run by one task.
    public func run(into intake: LogIntake) async {
        for await _ in self.wakeUps {
            await self.drain(into: intake)
        }
        await self.drain(into: intake)
    }

    private func drain(into intake: LogIntake) async {
        while true {
            let batch = self.pending.withLock { pending -> [LogEventDraft] in
                let count = min(pending.count, self.maxBatch)
                defer { pending.removeFirst(count) }
                return Array(pending.prefix(count))
            }
            if batch.isEmpty { return }
            await intake.submit(batch)
        }
    }
}
