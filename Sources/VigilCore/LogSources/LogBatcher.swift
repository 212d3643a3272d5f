import Synchronization

/// Gathers a listener's drafts into batches for `LogIntake`, like the writer's group commit:
/// while one batch commits, the next accumulates, so a slow commit never makes each message wait
/// for the one before. At most `capacity` drafts, and `maxBytes` of the messages they came from,
/// wait: beyond that a datagram listener's `offer`
/// refuses (the message is counted `overloaded`; the socket keeps being read), and a stream's
/// `offerWaiting` waits (the connection is not read meanwhile, so TCP slows the sender).
public final class LogBatcher: Sendable {
    public let capacity: Int
    public let maxBatch: Int
    public let maxBytes: Int
    /// The waiting drafts with the size of the message each came from, and their sum.
    private let pending: Mutex<(items: [(draft: LogEventDraft, bytes: Int)], bytes: Int)>
    private let finished = Mutex(false)
    private let wakeUps: AsyncStream<Void>
    private let doorbell: AsyncStream<Void>.Continuation

    public init(capacity: Int = 20_000, maxBatch: Int = 2_000, maxBytes: Int = 32 * 1024 * 1024) {
        self.capacity = capacity
        self.maxBatch = maxBatch
        self.maxBytes = maxBytes
        self.pending = Mutex(([], 0))
        (self.wakeUps, self.doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `draft` (from a message of `bytes`); false when the batcher is full.
    public func offer(_ draft: LogEventDraft, bytes: Int) -> Bool {
        let accepted = self.pending.withLock { pending in
            guard pending.items.count < self.capacity, pending.bytes + bytes <= self.maxBytes else { return false }
            pending.items.append((draft, bytes))
            pending.bytes += bytes
            return true
        }
        if accepted { self.doorbell.yield() }
        return accepted
    }

    /// Queues all of `drafts`, waiting while `capacity` already wait. Once the task is
    /// cancelled (shutdown) the rest is queued regardless: it was read, so it is committed.
    public func offerWaiting(_ drafts: [(draft: LogEventDraft, bytes: Int)]) async {
        var rest = drafts[...]
        while !rest.isEmpty {
            let force = Task.isCancelled
            let taken = self.pending.withLock { pending -> Int in
                var room = 0
                for item in rest {
                    // An empty batcher takes one draft whatever its size; shutdown takes all.
                    let fits = pending.items.count < self.capacity && pending.bytes + item.bytes <= self.maxBytes
                    guard force || fits || pending.items.isEmpty else { break }
                    pending.items.append(item)
                    pending.bytes += item.bytes
                    room += 1
                }
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
                let count = min(pending.items.count, self.maxBatch)
                let taken = pending.items.prefix(count)
                pending.bytes -= taken.reduce(0) { $0 + $1.bytes }
                defer { pending.items.removeFirst(count) }
                return taken.map(\.draft)
            }
            if batch.isEmpty { return }
            await intake.submit(batch, overloadPatience: overloadPatience)
        }
    }
}
