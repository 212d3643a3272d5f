import Foundation
import Synchronization

/// The bounded queue between `send` and the sender: events as JSON, the batch in flight
/// counted against the bounds until it is settled.
final class SendQueue: Sendable {
    struct Item: Sendable {
        var id: UUID
        var json: Data
        var queuedAt: ContinuousClock.Instant
    }

    private struct State {
        var items: [Item] = []
        var head = 0
        var inflight = 0
        var inflightBytes = 0
        var bytes = 0
        var closed = false
        var flushers = 0
        var stats = VigilClientStats()
        var count: Int { self.items.count - self.head }
    }

    let maxEvents: Int
    let maxBytes: Int
    private let state = Mutex(State())

    init(maxEvents: Int, maxBytes: Int) {
        self.maxEvents = maxEvents
        self.maxBytes = maxBytes
    }

    /// Queues what fits; returns how many were queued and how many were dropped.
    func enqueue(_ items: [Item]) -> (queued: Int, dropped: Int) {
        self.state.withLock { state in
            var queued = 0
            for item in items {
                let full = state.count + state.inflight >= self.maxEvents || state.bytes + item.json.count > self.maxBytes
                if state.closed || full {
                    state.stats.dropped += 1
                    continue
                }
                state.items.append(item)
                state.bytes += item.json.count
                queued += 1
            }
            return (queued, items.count - queued)
        }
    }

    /// The next batch when one is due: `maxBatch` events, or the oldest has waited `linger`, or
    /// a flush or shutdown wants everything now. Otherwise nil and how long until one is due
    /// (nil: nothing queued).
    func takeBatch(maxBatch: Int, maxBatchBytes: Int, linger: Duration, now: ContinuousClock.Instant) -> (batch: [Item]?, wait: Duration?) {
        self.state.withLock { state in
            guard state.count > 0 else { return (nil, nil) }
            let due = state.items[state.head].queuedAt + linger
            guard state.count >= maxBatch || state.flushers > 0 || state.closed || now >= due else { return (nil, due - now) }
            var batch: [Item] = []
            var size = 0
            while state.head < state.items.count, batch.count < maxBatch {
                let item = state.items[state.head]
                if !batch.isEmpty, size + item.json.count > maxBatchBytes { break }
                batch.append(item)
                size += item.json.count
                state.head += 1
            }
            if state.head > 1024, state.head * 2 > state.items.count {
                state.items.removeFirst(state.head)
                state.head = 0
            }
            state.inflight = batch.count
            state.inflightBytes = size
            return (batch, nil)
        }
    }

    /// The batch in flight is settled (delivered, refused or abandoned).
    func settle() {
        self.state.withLock { state in
            state.bytes -= state.inflightBytes
            state.inflight = 0
            state.inflightBytes = 0
        }
    }

    func record(_ change: (inout VigilClientStats) -> Void) {
        self.state.withLock { change(&$0.stats) }
    }

    var stats: VigilClientStats {
        self.state.withLock { state in
            var stats = state.stats
            stats.queued = state.count + state.inflight
            return stats
        }
    }

    var isEmpty: Bool { self.state.withLock { $0.count + $0.inflight == 0 } }

    func flushing(_ delta: Int) { self.state.withLock { $0.flushers += delta } }

    /// Refuses new events from now on.
    func close() { self.state.withLock { $0.closed = true } }

    /// Drops what is still queued (not the batch in flight), counted as lost; returns how many.
    func abandonQueued() -> Int {
        self.state.withLock { state in
            let left = state.count
            state.bytes -= state.items[state.head...].reduce(0) { $0 + $1.json.count }
            state.items.removeAll()
            state.head = 0
            state.stats.lost += left
            return left
        }
    }
}
