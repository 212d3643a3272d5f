import Synchronization

/// Bounds the exports one node streams at once: each keeps a database reader busy for as long
/// as its client reads, so a few clients could otherwise starve queries and ingest.
final class ExportSlots: Sendable {
    let limit: Int
    private let inUse = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot, or returns false when all are taken.
    func acquire() -> Bool {
        while true {
            let current = self.inUse.load(ordering: .relaxed)
            guard current < self.limit else { return false }
            if self.inUse.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing).exchanged { return true }
        }
    }

    func release() {
        self.inUse.subtract(1, ordering: .acquiringAndReleasing)
    }
}
