import Crypto
import Foundation
import Testing

@testable import VigilCore

/// RFC 9162 Merkle trees, proofs and C2SP checkpoints (issue 20's first part): the published
/// Certificate Transparency test vectors, the RFC's recursive definitions written again here
/// independently of the iterative code, and tampering of every kind.
@Suite struct MerkleTests {
    /// The leaves of the RFC 6962 reference test vectors and the roots of their first n leaves.
    static let vectorLeaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43], Array(0x50...0x57), Array(0x60...0x6F),
    ]
    static let vectorRoots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static func leaves(_ count: Int) -> [Merkle.Hash] {
        (0..<count).map { Merkle.leafHash(Array("event \($0)".utf8)) }
    }

    // The RFC's recursive definitions, kept apart from the code under test.
    static func mth(_ leaves: ArraySlice<Merkle.Hash>) -> Merkle.Hash {
        if leaves.isEmpty { return Array(SHA256.hash(data: [UInt8]())) }
        if leaves.count == 1 { return leaves.first! }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        return Merkle.nodeHash(mth(leaves.prefix(k)), mth(leaves.dropFirst(k)))
    }

    static func path(_ m: Int, _ leaves: ArraySlice<Merkle.Hash>) -> [Merkle.Hash] {
        if leaves.count <= 1 { return [] }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        if m < k { return path(m, leaves.prefix(k)) + [mth(leaves.dropFirst(k))] }
        return path(m - k, leaves.dropFirst(k)) + [mth(leaves.prefix(k))]
    }

    static func subproof(_ m: Int, _ leaves: ArraySlice<Merkle.Hash>, _ complete: Bool) -> [Merkle.Hash] {
        if m == leaves.count { return complete ? [] : [mth(leaves)] }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        if m <= k { return subproof(m, leaves.prefix(k), complete) + [mth(leaves.dropFirst(k))] }
        return subproof(m - k, leaves.dropFirst(k), false) + [mth(leaves.prefix(k))]
    }

    @Test func rootsMatchThePublishedVectorsAndTheFrontier() {
        let hashes = Self.vectorLeaves.map { Merkle.leafHash($0) }
        var frontier = MerkleFrontier()
        #expect(frontier.root == Merkle.emptyRoot)
        for (index, expected) in Self.vectorRoots.enumerated() {
            #expect(Hex.encode(Merkle.root(hashes.prefix(index + 1))) == expected)
            frontier.append(hashes[index])
            #expect(Hex.encode(frontier.root) == expected)
        }
        let many = Self.leaves(300)
        var growing = MerkleFrontier()
        for count in 1...300 {
            growing.append(many[count - 1])
            #expect(growing.root == Self.mth(many.prefix(count)), "\(count)")
            #expect(growing.nodes.count == count.nonzeroBitCount)
        }
        #expect(MerkleFrontier(size: growing.size, nodes: growing.nodes) == growing)
        #expect(MerkleFrontier(size: 5, nodes: [many[0]]) == nil)
    }

    @Test func everyInclusionAndConsistencyProofMatchesTheRFCAndVerifies() {
        let all = Self.leaves(41)
        let subtree = { (range: Range<Int>) in Self.mth(all[range]) }
        for size in 1...40 {
            let root = Self.mth(all.prefix(size))
            for index in 0..<size {
                let proof = Merkle.inclusionProof(index: index, size: size, subtree: subtree)
                #expect(proof == Self.path(index, all.prefix(size)), "\(index) of \(size)")
                #expect(Merkle.verifyInclusion(leaf: all[index], index: index, size: size, proof: proof, root: root))
                // The wrong leaf, index, size or root, or a changed path, does not verify.
                #expect(!Merkle.verifyInclusion(leaf: all[(index + 1) % 41], index: index, size: size, proof: proof, root: root))
                if size > 1 {
                    #expect(!Merkle.verifyInclusion(leaf: all[index], index: (index + 1) % size, size: size, proof: proof, root: root))
                    var bent = proof
                    bent[0][0] ^= 1
                    #expect(!Merkle.verifyInclusion(leaf: all[index], index: index, size: size, proof: bent, root: root))
                }
                // Against the next tree's root (a checkpoint binds size and root together).
                let next = Self.mth(all.prefix(size + 1))
                #expect(!Merkle.verifyInclusion(leaf: all[index], index: index, size: size + 1, proof: proof, root: next))
            }
            for old in 1...size {
                let proof = Merkle.consistencyProof(old: old, new: size, subtree: subtree)
                #expect(proof == Self.subproof(old, all.prefix(size), true), "\(old) to \(size)")
                let oldRoot = Self.mth(all.prefix(old))
                #expect(Merkle.verifyConsistency(old: old, new: size, oldRoot: oldRoot, newRoot: root, proof: proof))
                if old < size {
                    // A history with one old leaf changed is not a prefix of this one.
                    var forged = Array(all.prefix(old))
                    forged[old / 2] = Merkle.leafHash([0xFF])
                    #expect(!Merkle.verifyConsistency(old: old, new: size, oldRoot: Self.mth(forged[...]), newRoot: root, proof: proof))
                    #expect(!Merkle.verifyConsistency(old: old, new: size, oldRoot: oldRoot, newRoot: root, proof: []))
                }
            }
        }
    }

    @Test func checkpointsAreSignedNotesThatOnlyTheKeyVerifies() throws {
        let key = LedgerKey(name: "vigil.example/log")
        let checkpoint = Checkpoint(origin: "vigil.example/log", size: 8, rootHash: Merkle.root(Self.vectorLeaves.map { Merkle.leafHash($0) }[...]))
        let note = try checkpoint.signed(by: key)
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "vigil.example/log" && lines[1] == "8" && lines[2] == "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=")
        #expect(lines[3] == "" && lines[4].hasPrefix("— vigil.example/log ") && lines[5] == "")
        #expect(Checkpoint.verified(note: note, name: key.name, publicKey: key.publicKey) == checkpoint)
        // Another key, another name, a changed size or root, or a cut signature: refused.
        let other = LedgerKey(name: key.name)
        #expect(Checkpoint.verified(note: note, name: key.name, publicKey: other.publicKey) == nil)
        #expect(Checkpoint.verified(note: note, name: "other", publicKey: key.publicKey) == nil)
        #expect(Checkpoint.verified(note: note.replacingOccurrences(of: "\n8\n", with: "\n9\n"), name: key.name, publicKey: key.publicKey) == nil)
        #expect(Checkpoint.verified(note: String(note.dropLast(6)) + "\n", name: key.name, publicKey: key.publicKey) == nil)
        #expect(key.verifierKey.hasPrefix("vigil.example/log+\(Hex.encode(key.keyHash))+"))
        #expect(Checkpoint.parse(body: "o\n08\n\(Data(repeating: 0, count: 32).base64EncodedString())\n") == nil)
    }

    /// The sealer stores the perfect subtrees the frontier completes; every range a proof asks
    /// for is rebuilt from them exactly as the RFC's recursive definition computes it.
    @Test func storedPerfectSubtreesRebuildEveryProofRange() {
        let leaves = Self.leaves(40)
        var frontier = MerkleFrontier()
        var nodes: [MerkleNode.Address: Merkle.Hash] = [:]
        for (index, leaf) in leaves.enumerated() {
            nodes[.init(level: 0, index: index)] = leaf
            for node in frontier.append(leaf) {
                #expect(node.hash == Merkle.root(leaves[node.address.leaves]))
                nodes[node.address] = node.hash
            }
        }
        for size in 1...40 {
            for index in 0..<size {
                _ = Merkle.inclusionProof(index: index, size: size) { range in
                    #expect(Merkle.subtreeHash(range, nodes: nodes) == Merkle.root(leaves[range]))
                    return []
                }
            }
            #expect(Merkle.subtreeHash(0..<size, nodes: nodes) == Merkle.root(leaves[0..<size]))
        }
        #expect(Merkle.subtreeHash(0..<3, nodes: [:]) == nil)
    }

    /// Verifier keys round-trip, including base64 that contains '+', and a wrong hash is refused.
    @Test func verifierKeysParseOnlyWhenTheirHashMatches() {
        for _ in 0..<20 {
            let key = LedgerKey(name: "example.org/log")
            let parsed = LedgerKey.parseVerifierKey(key.verifierKey)
            #expect(parsed?.name == key.name && parsed?.publicKey == key.publicKey)
            let parts = key.verifierKey.split(separator: "+", maxSplits: 2)
            #expect(LedgerKey.parseVerifierKey("other+\(parts[1])+\(parts[2])") == nil)
        }
        #expect(LedgerKey.parseVerifierKey("vigil+00000000+AAAA") == nil)
    }
}
