import Foundation

/// One thing `LedgerAudit` found that the signed tree does not account for.
public enum LedgerFinding: Sendable, Equatable, CustomStringConvertible {
    /// The event's JSON no longer hashes to its sealed leaf.
    case modified(eventID: UUID, leaf: Int)
    /// A sealed event is gone, and no retention run deleted it.
    case deleted(eventID: UUID, leaf: Int)
    /// An event that was never sealed sits where only sealed events can be.
    case inserted(eventID: UUID)
    /// A sealed event is in another place in the log than the one it was sealed at.
    case reordered(eventID: UUID, leaf: Int)
    /// The tree rebuilt from the events does not have the root a signed checkpoint states:
    /// something among leaves `range` was changed together with its stored hash.
    case rootMismatch(size: Int, range: Range<Int>)
    /// A stored checkpoint whose signature no trusted key verifies.
    case unsigned(size: Int?)
    /// Rows in the events table the log never shows (so no follower seals or evaluates them):
    /// written below Vigil, e.g. with a transaction id from the future on PostgreSQL.
    case unreachable(count: Int)
    /// A checkpoint given to the verifier that is for a larger tree than the database holds,
    /// or for another log.
    case unknownCheckpoint(size: Int)

    public var description: String {
        switch self {
        case .modified(let id, let leaf): "modified: event \(id.lowercased) (leaf \(leaf)) no longer matches its sealed hash"
        case .deleted(let id, let leaf): "deleted: event \(id.lowercased) (leaf \(leaf)) is missing and no retention run removed it"
        case .inserted(let id):
            "inserted: event \(id.lowercased) was never sealed, yet it lies among sealed events or was received long before the newest seal"
        case .reordered(let id, let leaf): "reordered: event \(id.lowercased) (leaf \(leaf)) is no longer at its sealed place in the log"
        case .rootMismatch(let size, let range):
            "root mismatch: the tree of the first \(size) events differs from the signed checkpoint; an event among leaves \(range.lowerBound)..<\(range.upperBound) was changed with its stored hash"
        case .unsigned(let size): "unsigned: a checkpoint\(size.map { " for size \($0)" } ?? "") is not signed by a trusted key"
        case .unreachable(let count):
            "unreachable: \(count) stored event(s) lie outside the log, where no follower reads them; they were written behind Vigil's back"
        case .unknownCheckpoint(let size): "unknown checkpoint: the given checkpoint for size \(size) is not of this log or beyond its sealed size"
        }
    }
}

/// What `LedgerAudit` checked and found.
public struct LedgerReport: Sendable {
    public var origin: String?
    public var treeSize = 0
    /// Sealed events still present and matching.
    public var verified = 0
    /// Leaves whose events retention deleted (their hashes kept the tree whole).
    public var pruned = 0
    /// Signed checkpoints whose roots the rebuilt tree reproduced.
    public var checkpoints = 0
    /// Committed events after the newest checkpoint (sealed within seconds by a running server).
    public var unsealed = 0
    public var findings: [LedgerFinding] = []

    public init() {}
}
