import Foundation

/// Where the sealer stands: the tree so far (its right edge), the log position after the last
/// sealed event, and the newest signed checkpoint.
public struct LedgerState: Sendable, Equatable {
    /// The log's name in every checkpoint; fixed by the first seal.
    public var origin: String
    public var frontier: MerkleFrontier
    public var position: LogPosition?
    /// The newest signed note (nil before the first seal).
    public var checkpoint: String?
    public var sealedAt: Timestamp?

    public init(
        origin: String,
        frontier: MerkleFrontier = .init(),
        position: LogPosition? = nil,
        checkpoint: String? = nil,
        sealedAt: Timestamp? = nil
    ) {
        self.origin = origin
        self.frontier = frontier
        self.position = position
        self.checkpoint = checkpoint
        self.sealedAt = sealedAt
    }
}

/// One leaf as stored: its index in the tree, the event it stands for and its hash. `prunedBy`
/// names the retention run that deleted the event (its hash stays, so the tree still verifies).
public struct LedgerLeaf: Sendable, Equatable {
    public var index: Int
    public var eventID: UUID
    public var hash: Merkle.Hash
    public var prunedBy: UUID?

    public init(index: Int, eventID: UUID, hash: Merkle.Hash, prunedBy: UUID? = nil) {
        self.index = index
        self.eventID = eventID
        self.hash = hash
        self.prunedBy = prunedBy
    }
}

/// One sealing step, written atomically: leaves `expectedSize..<state.frontier.size`, the
/// perfect subtrees they complete, and the new state. `keepCheckpoint` also files the note in
/// the checkpoint history.
public struct LedgerSeal: Sendable {
    public var expectedSize: Int
    public var leaves: [LedgerLeaf]
    public var nodes: [MerkleNode]
    public var state: LedgerState
    public var keepCheckpoint: Bool

    public init(expectedSize: Int, leaves: [LedgerLeaf], nodes: [MerkleNode], state: LedgerState, keepCheckpoint: Bool) {
        self.expectedSize = expectedSize
        self.leaves = leaves
        self.nodes = nodes
        self.state = state
        self.keepCheckpoint = keepCheckpoint
    }
}

/// A checkpoint signing key as published: the signed-note name, the raw Ed25519 public key,
/// and the private key only while Vigil keeps it in the database (nil for a key read from
/// `VIGIL_LEDGER_KEY_FILE`, and once retired).
public struct LedgerKeyRecord: Sendable, Equatable {
    public var keyID: String
    public var name: String
    public var publicKey: [UInt8]
    public var privateKey: [UInt8]?
    public var createdAt: Timestamp
    public var retiredAt: Timestamp?

    public init(keyID: String, name: String, publicKey: [UInt8], privateKey: [UInt8]?, createdAt: Timestamp, retiredAt: Timestamp?) {
        self.keyID = keyID
        self.name = name
        self.publicKey = publicKey
        self.privateKey = privateKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}

/// The tamper-evident log's storage: the tree's leaves and perfect subtree hashes, the
/// sealer's state, the checkpoint history and the signing keys.
public protocol LedgerStore: Sendable {
    /// The sealer's state, or nil before the first seal.
    func ledgerState() async throws -> LedgerState?

    /// Writes `seal` in one transaction if the stored tree still has `expectedSize` leaves
    /// (compare-and-set: a deposed sealer cannot write); otherwise throws `VigilError.ledgerMoved`.
    func commitSeal(_ seal: LedgerSeal) async throws

    /// The leaf of this stored event, or nil if it is not sealed. (Once retention deleted the
    /// event an engine may answer nil: PostgreSQL finds a leaf through its event's log position.)
    func ledgerLeaf(eventID: UUID) async throws -> LedgerLeaf?

    /// The leaf indices of those of the stored `eventIDs` that are sealed.
    func ledgerLeafIndices(eventIDs: [UUID]) async throws -> [UUID: Int]

    /// At most `limit` leaves from index `from` on, in index order.
    func ledgerLeaves(from: Int, limit: Int) async throws -> [LedgerLeaf]

    /// The stored hashes of these perfect subtrees (level 0 is a leaf); missing ones are absent.
    func merkleNodes(_ addresses: [MerkleNode.Address]) async throws -> [MerkleNode.Address: Merkle.Hash]

    /// Filed checkpoints (signed notes) with tree sizes in `sizes`, in size order.
    func ledgerCheckpoints(sizes: ClosedRange<Int>) async throws -> [String]

    /// How many events are stored whose `received_at` lies outside `window` — every row,
    /// whether or not the log can reach it (what `LedgerAudit` compares with what it read).
    func eventCount(receivedOutside window: Range<Timestamp>) async throws -> Int

    /// Every published key, newest first.
    func ledgerKeys() async throws -> [LedgerKeyRecord]

    /// Publishes `key` and retires every other key (keeping their public halves); a key with
    /// the same id is left as it is and un-retired.
    func activateLedgerKey(_ key: LedgerKeyRecord) async throws
}

extension VigilError {
    /// The stored tree grew since the sealer read it: another sealer is running.
    public static let ledgerMoved = VigilError.conflict(code: "ledger_moved", detail: "The ledger was sealed by another process.")
}
