import Foundation

/// Walks the stored leaves (tree order) and the event log (log order) side by side; the two
/// orders agree for an untouched database because the sealer appends in log order. Compares
/// each event's own hash with its leaf, rebuilds the tree from the stored leaf hashes, and
/// checks each signed root as the rebuilt tree reaches its size (so a stored hash rewritten to
/// match a changed event is caught by the first signed root that contains it).
struct LedgerWalk {
    let store: any LedgerAudit.Store
    let roots: [Int: Merkle.Hash]
    let size: Int
    var frontier = MerkleFrontier()
    var lastCheckedSize = 0
    var leaves: [LedgerLeaf] = []
    var leafCursor = 0
    var events: [Event] = []
    var eventCursor = 0
    var logPosition: LogPosition?
    var logEnded = false
    var pendingPosition: LogPosition?
    /// Events read from the log whose receipt lies outside `window` (see `LedgerAudit`).
    var window: Range<Timestamp>?
    var readOutsideWindow = 0
    var rootsDiverged = false
    /// Pruned leaves by the retention record that claims them: (index, event id), in order.
    var pruned: [UUID: [(index: Int, eventID: UUID)]] = [:]

    init(store: any LedgerAudit.Store, roots: [Int: Merkle.Hash], size: Int) {
        self.store = store
        self.roots = roots
        self.size = size
    }

    mutating func run(report: inout LedgerReport) async throws {
        while let leaf = try await self.nextLeaf() {
            if let record = leaf.prunedBy {
                self.pruned[record, default: []].append((leaf.index, leaf.eventID))
                self.append(leaf.hash, report: &report)
                continue
            }
            try await self.match(leaf, report: &report)
        }
    }

    /// Finds `leaf`'s event at the head of the log and consumes both; anything else at the
    /// head of the log is named and consumed first.
    private mutating func match(_ leaf: LedgerLeaf, report: inout LedgerReport) async throws {
        while true {
            guard let event = try await self.peekEvent() else {
                // The log ended first: the event is gone, or was met earlier out of order.
                let present = try await self.store.event(id: leaf.eventID) != nil
                report.findings.append(
                    present ? .reordered(eventID: leaf.eventID, leaf: leaf.index) : .deleted(eventID: leaf.eventID, leaf: leaf.index)
                )
                self.append(leaf.hash, report: &report)
                return
            }
            if event.id == leaf.eventID {
                // A changed event is named here; the tree goes on with its stored hash, so a
                // root mismatch means the stored hashes themselves were rewritten.
                if Merkle.leafHash(event.json.utf8) == leaf.hash {
                    report.verified += 1
                } else {
                    report.findings.append(.modified(eventID: event.id, leaf: leaf.index))
                }
                self.append(leaf.hash, report: &report)
                self.consumeEvent()
                return
            }
            guard let sealed = try await self.store.ledgerLeaf(eventID: event.id) else {
                report.findings.append(.inserted(eventID: event.id))
                self.consumeEvent()
                continue
            }
            if sealed.index > leaf.index {
                // The log has moved on past this leaf's place: its event was removed or moved.
                let present = try await self.store.event(id: leaf.eventID) != nil
                report.findings.append(
                    present ? .reordered(eventID: leaf.eventID, leaf: leaf.index) : .deleted(eventID: leaf.eventID, leaf: leaf.index)
                )
                self.append(leaf.hash, report: &report)
                return
            }
            // An event whose place was passed: already named when its place came (or pruned
            // by retention yet still present, which hides nothing).
            self.consumeEvent()
        }
    }

    /// Checks that each retention record exists and accounts for exactly the leaves marked
    /// with its id; the leaves of a record that does not are deletions behind Vigil's back.
    mutating func checkPruned(report: inout LedgerReport) async throws {
        for (recordID, leaves) in self.pruned.sorted(by: { $0.value[0].index < $1.value[0].index }) {
            if let record = try await self.store.event(id: recordID), RetentionRecord.accounts(for: leaves.map(\.index), record: record) {
                report.pruned += leaves.count
            } else {
                report.findings += leaves.map { LedgerFinding.deleted(eventID: $0.eventID, leaf: $0.index) }
            }
        }
    }

    /// Reads the rest of the log after the last leaf: the unsealed tail. An event received
    /// well before the newest seal yet not in the tree was inserted; one with a leaf was
    /// already named where its leaf was.
    mutating func drainTail(sealedAt: Timestamp?, report: inout LedgerReport) async throws {
        while let event = try await self.peekEvent() {
            self.consumeEvent()
            if let sealedAt, event.receivedAt.microseconds <= sealedAt.microseconds {
                guard try await self.store.ledgerLeaf(eventID: event.id) == nil else { continue }
                if event.receivedAt.microseconds < sealedAt.microseconds - LedgerAudit.insertGrace {
                    report.findings.append(.inserted(eventID: event.id))
                    continue
                }
            }
            report.unsealed += 1
        }
    }

    private mutating func append(_ hash: Merkle.Hash, report: inout LedgerReport) {
        self.frontier.append(hash)
        let size = self.frontier.size
        guard let signed = self.roots[size] else { return }
        if signed == self.frontier.root {
            report.checkpoints += 1
        } else if !self.rootsDiverged {
            // Every later root contains the same change: the first mismatch locates it.
            report.findings.append(.rootMismatch(size: size, range: self.lastCheckedSize..<size))
            self.rootsDiverged = true
        }
        self.lastCheckedSize = size
    }

    private mutating func nextLeaf() async throws -> LedgerLeaf? {
        if self.leafCursor == self.leaves.count {
            let from = self.frontier.size
            guard from < self.size else { return nil }
            self.leaves = try await self.store.ledgerLeaves(from: from, limit: min(10_000, self.size - from))
            self.leafCursor = 0
            // Leaf indices are a primary key; a gap means leaf rows were deleted.
            guard let first = self.leaves.first, first.index == from else { throw LedgerAuditError.leavesMissing(from: from) }
        }
        defer { self.leafCursor += 1 }
        return self.leaves[self.leafCursor]
    }

    private mutating func peekEvent() async throws -> Event? {
        if self.eventCursor == self.events.count {
            guard !self.logEnded else { return nil }
            let batch = try await self.store.committedEvents(after: self.logPosition, limit: 5000)
            self.events = batch.events
            self.eventCursor = 0
            self.logEnded = batch.events.count < 5000
            self.pendingPosition = batch.position
            if self.events.isEmpty { return nil }
        }
        return self.events[self.eventCursor]
    }

    private mutating func consumeEvent() {
        if let window, !window.contains(self.events[self.eventCursor].receivedAt) { self.readOutsideWindow += 1 }
        self.eventCursor += 1
        if self.eventCursor == self.events.count { self.logPosition = self.pendingPosition }
    }
}

/// The stored tree itself is damaged beyond what a finding names.
public enum LedgerAuditError: Error, Sendable, CustomStringConvertible {
    case leavesMissing(from: Int)

    public var description: String {
        switch self {
        case .leavesMissing(let from): "leaf rows from index \(from) on are missing from ledger_leaves: the stored tree was cut"
        }
    }
}
