import Foundation

/// The newest signed checkpoint, parsed.
public struct LedgerHead: Sendable, Equatable {
    public var size: Int
    public var rootHash: Merkle.Hash
    public var checkpoint: String
}

/// An event's audit path to the head checkpoint.
public struct InclusionProof: Sendable, Equatable {
    public var leafIndex: Int
    public var treeSize: Int
    public var path: [Merkle.Hash]
    public var checkpoint: String
}

/// A consistency proof between two tree sizes, with both roots as stored (the verifier
/// compares them with checkpoints it trusts).
public struct ConsistencyProof: Sendable, Equatable {
    public var from: Int
    public var to: Int
    public var fromRoot: Merkle.Hash
    public var toRoot: Merkle.Hash
    public var path: [Merkle.Hash]
}

/// Answers proofs from the stored perfect subtrees: each proof is one read of the head and
/// one read of at most a few dozen subtree hashes, whatever the tree's size.
public struct LedgerProofs: Sendable {
    let store: any LedgerStore

    public init(store: any LedgerStore) {
        self.store = store
    }

    /// The newest checkpoint, or nil before anything was sealed.
    public func head() async throws -> LedgerHead? {
        guard let state = try await self.store.ledgerState(), let note = state.checkpoint else { return nil }
        return LedgerHead(size: state.frontier.size, rootHash: state.frontier.root, checkpoint: note)
    }

    /// The inclusion proof of `eventID` in the head checkpoint; nil when the event is not sealed.
    public func inclusion(eventID: UUID) async throws -> InclusionProof? {
        guard let head = try await self.head(), let leaf = try await self.store.ledgerLeaf(eventID: eventID), leaf.index < head.size else {
            return nil
        }
        let path = try await self.resolve { subtree in
            try Merkle.inclusionProof(index: leaf.index, size: head.size, subtree: subtree)
        }
        return InclusionProof(leafIndex: leaf.index, treeSize: head.size, path: path, checkpoint: head.checkpoint)
    }

    /// The RFC 9162 consistency proof from `from` to `to` leaves (1 ≤ from ≤ to ≤ head size,
    /// which the caller checks).
    public func consistency(from: Int, to: Int) async throws -> ConsistencyProof {
        let roots = try await self.resolve { subtree in [try subtree(0..<from), try subtree(0..<to)] }
        let path = try await self.resolve { subtree in try Merkle.consistencyProof(old: from, new: to, subtree: subtree) }
        return ConsistencyProof(from: from, to: to, fromRoot: roots[0], toRoot: roots[1], path: path)
    }

    /// Runs `proof` twice: once to learn which subtrees it needs, then — after one read of
    /// their perfect parts — with their hashes. Also what a bundle's page of proofs uses.
    func resolve<T>(_ proof: ((Range<Int>) throws -> Merkle.Hash) throws -> T) async throws -> T {
        var ranges: Set<Range<Int>> = []
        _ = try proof { range in
            ranges.insert(range)
            return Merkle.emptyRoot
        }
        let nodes = try await self.perfectSubtrees(Array(Set(ranges.flatMap(Merkle.perfectNodes(covering:)))))
        return try proof { range in
            // A stored tree always has every perfect subtree below its size.
            guard let hash = Merkle.subtreeHash(range, nodes: nodes) else { throw CorruptRow(table: "ledger_nodes") }
            return hash
        }
    }

    /// The hashes of these perfect subtrees: stored ones are read; those below
    /// `MerkleNode.lowestStoredLevel`, which the sealer does not store, are rebuilt from their
    /// leaves (at most 8 each), in the same single read.
    func perfectSubtrees(_ addresses: [MerkleNode.Address]) async throws -> [MerkleNode.Address: Merkle.Hash] {
        var wanted: Set<MerkleNode.Address> = []
        for address in addresses {
            if address.level == 0 || address.level >= MerkleNode.lowestStoredLevel {
                wanted.insert(address)
            } else {
                for leaf in address.leaves { wanted.insert(.init(level: 0, index: leaf)) }
            }
        }
        var found = try await self.store.merkleNodes(Array(wanted))
        for address in addresses where address.level > 0 && address.level < MerkleNode.lowestStoredLevel {
            let leaves = address.leaves.compactMap { found[.init(level: 0, index: $0)] }
            if leaves.count == address.leaves.count { found[address] = Merkle.root(leaves[...]) }
        }
        return found
    }
}
