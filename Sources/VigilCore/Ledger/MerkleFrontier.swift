/// The right edge of a Merkle tree: the roots of its perfect subtrees, largest first (one per
/// set bit of `size`, at most 64). Enough to append leaves and compute the root without reading
/// earlier leaves again, which is how the sealer extends the tree; stored with each checkpoint.
public struct MerkleFrontier: Sendable, Equatable {
    public private(set) var size: Int
    /// Roots of the perfect subtrees covering leaves `0..<size`, left to right.
    public private(set) var nodes: [Merkle.Hash]

    public init() {
        self.size = 0
        self.nodes = []
    }

    /// A frontier read back from storage; nil when `nodes` does not fit `size`.
    public init?(size: Int, nodes: [Merkle.Hash]) {
        guard size >= 0, size.nonzeroBitCount == nodes.count, nodes.allSatisfy({ $0.count == 32 }) else { return nil }
        self.size = size
        self.nodes = nodes
    }

    /// Appends a leaf hash; returns the perfect subtrees of level ≥ 1 it completes (what the
    /// sealer stores beside the leaf).
    @discardableResult
    public mutating func append(_ leaf: Merkle.Hash) -> [MerkleNode] {
        var hash = leaf
        var size = self.size
        var level = 0
        var completed: [MerkleNode] = []
        // Each trailing set bit of the old size is a perfect subtree the new leaf completes.
        while size & 1 == 1 {
            hash = Merkle.nodeHash(self.nodes.removeLast(), hash)
            size >>= 1
            level += 1
            completed.append(MerkleNode(address: .init(level: level, index: (self.size + 1) >> level - 1), hash: hash))
        }
        self.nodes.append(hash)
        self.size += 1
        return completed
    }

    /// The root of the tree over the leaves appended so far.
    public var root: Merkle.Hash {
        guard var hash = self.nodes.last else { return Merkle.emptyRoot }
        for node in self.nodes.dropLast().reversed() { hash = Merkle.nodeHash(node, hash) }
        return hash
    }
}
