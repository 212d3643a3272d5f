import Foundation

/// Offline verification of the ledger against the events as they are now: compares each
/// event's JSON, in log order, with its sealed leaf, rebuilds the tree from the leaves, and
/// checks the rebuilt roots against every signed checkpoint it can verify with `trustedKeys` —
/// so a change made in the database, even one that also rewrote the stored hashes, is found. Run by
/// `vigil verify --database-url`; reads only.
public struct LedgerAudit: Sendable {
    public typealias Store = LedgerStore & EventLogReader & EventStore

    /// A committed event still unsealed this long after the newest seal cannot be a late commit.
    public static let insertGrace: Int64 = 300 * 1_000_000

    let store: any Store
    /// Keys whose signatures count: (name, raw Ed25519 public key).
    let trustedKeys: [(name: String, publicKey: [UInt8])]
    /// Checkpoints obtained elsewhere (published, witnessed) to hold the database to.
    let givenCheckpoints: [String]

    public init(store: any Store, trustedKeys: [(name: String, publicKey: [UInt8])], givenCheckpoints: [String] = []) {
        self.store = store
        self.trustedKeys = trustedKeys
        self.givenCheckpoints = givenCheckpoints
    }

    public func run() async throws -> LedgerReport {
        var report = LedgerReport()
        // Events committed while this runs are left out of the count of what the log must
        // show; anything received outside this window must have been read.
        let now = Timestamp.now()
        let window = Timestamp(microseconds: now.microseconds - Self.insertGrace)..<Timestamp(microseconds: now.microseconds + Self.insertGrace)
        guard let state = try await self.store.ledgerState() else {
            var walk = LedgerWalk(store: self.store, roots: [:], size: 0)
            walk.window = window
            try await walk.drainTail(sealedAt: nil, report: &report)
            try await self.countUnreachable(read: walk.readOutsideWindow, window: window, report: &report)
            return report
        }
        report.origin = state.origin
        report.treeSize = state.frontier.size
        let roots = try await self.signedRoots(state: state, report: &report)
        var walk = LedgerWalk(store: self.store, roots: roots, size: state.frontier.size)
        walk.window = window
        try await walk.run(report: &report)
        try await walk.checkPruned(report: &report)
        try await walk.drainTail(sealedAt: state.sealedAt, report: &report)
        try await self.countUnreachable(read: walk.readOutsideWindow, window: window, report: &report)
        return report
    }

    private func countUnreachable(read: Int, window: Range<Timestamp>, report: inout LedgerReport) async throws {
        let stored = try await self.store.eventCount(receivedOutside: window)
        if stored > read { report.findings.append(.unreachable(count: stored - read)) }
    }

    /// The roots signed checkpoints state, by tree size: the head, the filed history and the
    /// given checkpoints, each verified with a trusted key.
    private func signedRoots(state: LedgerState, report: inout LedgerReport) async throws -> [Int: Merkle.Hash] {
        var roots: [Int: Merkle.Hash] = [:]
        var stored = try await self.store.ledgerCheckpoints(sizes: 1...max(1, state.frontier.size))
        if let head = state.checkpoint { stored.append(head) }
        for note in stored {
            guard let checkpoint = self.verify(note), checkpoint.origin == state.origin else {
                report.findings.append(.unsigned(size: Checkpoint.parse(body: Self.body(of: note))?.size))
                continue
            }
            roots[checkpoint.size] = checkpoint.rootHash
        }
        for note in self.givenCheckpoints {
            guard let checkpoint = self.verify(note) else {
                report.findings.append(.unsigned(size: Checkpoint.parse(body: Self.body(of: note))?.size))
                continue
            }
            guard checkpoint.origin == state.origin, checkpoint.size <= state.frontier.size, checkpoint.size > 0 else {
                report.findings.append(.unknownCheckpoint(size: checkpoint.size))
                continue
            }
            if let known = roots[checkpoint.size], known != checkpoint.rootHash {
                // Two signed roots for one size: the log forked; the given one is the reference.
                report.findings.append(.rootMismatch(size: checkpoint.size, range: 0..<checkpoint.size))
            }
            roots[checkpoint.size] = checkpoint.rootHash
        }
        return roots
    }

    private func verify(_ note: String) -> Checkpoint? {
        for key in self.trustedKeys {
            if let checkpoint = Checkpoint.verified(note: note, name: key.name, publicKey: key.publicKey) { return checkpoint }
        }
        return nil
    }

    private static func body(of note: String) -> String {
        guard let split = note.range(of: "\n\n") else { return note }
        return String(note[..<split.upperBound].dropLast())
    }
}
