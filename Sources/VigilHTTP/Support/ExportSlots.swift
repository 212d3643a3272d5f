import Synchronization

/// Bounds the exports one node streams at once: each reads page after page from the database
/// as fast as its client takes them, so many at once could starve queries and ingest.
final class ExportSlots: Sendable {
    /// One taken slot, given back when the last reference goes: whether the response body ran
    /// to the end, failed, or was never started (a client gone before the headers were sent).
    final class Slot: Sendable {
        let slots: ExportSlots

        fileprivate init(_ slots: ExportSlots) {
            self.slots = slots
        }

        deinit {
            self.slots.inUse.subtract(1, ordering: .acquiringAndReleasing)
        }
    }

    let limit: Int
    fileprivate let inUse = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot, or returns nil when all are taken.
    func acquire() -> Slot? {
        while true {
            let current = self.inUse.load(ordering: .relaxed)
            guard current < self.limit else { return nil }
            if self.inUse.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing).exchanged {
                return Slot(self)
            }
        }
    }

    /// Slots taken now.
    var taken: Int { self.inUse.load(ordering: .relaxed) }
}
