/// The hash of a perfect subtree: `2^level` leaves starting at leaf `index << level`. Level 0
/// is a leaf. The sealer stores every one of level ≥ `lowestStoredLevel` it completes, so any
/// proof is one read of a few dozen hashes.
public struct MerkleNode: Sendable, Equatable {
    /// Levels 1–3 are not stored: rebuilding one costs reading at most 8 leaves, and not
    /// writing them removes seven in eight of the node rows the sealer would add per event.
    public static let lowestStoredLevel = 4

    public struct Address: Sendable, Hashable {
        public var level: Int
        public var index: Int

        public init(level: Int, index: Int) {
            self.level = level
            self.index = index
        }

        /// The leaves the subtree covers.
        public var leaves: Range<Int> { (self.index << self.level)..<((self.index + 1) << self.level) }
    }

    public var address: Address
    public var hash: Merkle.Hash

    public init(address: Address, hash: Merkle.Hash) {
        self.address = address
        self.hash = hash
    }
}

extension Merkle {
    /// The perfect subtrees whose hashes make up the subtree over `range`, as RFC 9162 splits
    /// it: `range` must start at a multiple of a power of two at least its length (every range
    /// a proof asks for does).
    public static func perfectNodes(covering range: Range<Int>) -> [MerkleNode.Address] {
        var nodes: [MerkleNode.Address] = []
        var start = range.lowerBound
        while start < range.upperBound {
            var width = 1
            while width << 1 <= range.upperBound - start { width <<= 1 }
            nodes.append(MerkleNode.Address(level: width.trailingZeroBitCount, index: start / width))
            start += width
        }
        return nodes
    }

    /// The hash of the subtree over `range` from its perfect parts (see `perfectNodes`); nil if
    /// one is missing from `nodes`.
    public static func subtreeHash(_ range: Range<Int>, nodes: [MerkleNode.Address: Hash]) -> Hash? {
        var hashes: [Hash] = []
        for address in Self.perfectNodes(covering: range) {
            guard let hash = nodes[address] else { return nil }
            hashes.append(hash)
        }
        guard var hash = hashes.popLast() else { return nil }
        // Perfect parts shrink left to right, so the RFC's split folds them from the right.
        while let left = hashes.popLast() { hash = Merkle.nodeHash(left, hash) }
        return hash
    }
}
