import Crypto
import Foundation

/// RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing: a leaf is
/// `SHA-256(0x00 || data)`, an interior node `SHA-256(0x01 || left || right)`, and the tree over
/// `n` leaves splits at the largest power of two below `n`. Proofs are computed from the hashes
/// of subtrees, which a caller provides (from leaves, or from hashes it stored), so the same
/// code serves an in-memory tree, the sealer and an offline verifier.
public enum Merkle {
    /// A 32-byte SHA-256 value.
    public typealias Hash = [UInt8]

    /// The hash of the empty tree: SHA-256 of nothing.
    public static let emptyRoot: Hash = Array(SHA256.hash(data: [UInt8]()))

    public static func leafHash(_ data: some Collection<UInt8>) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        // A native string's UTF-8 is hashed in place; anything else is copied once.
        let hashed = data.withContiguousStorageIfAvailable { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if hashed == nil { hasher.update(data: Array(data)) }
        return Array(hasher.finalize())
    }

    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The largest power of two smaller than `n` (n ≥ 2).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The root of the tree over `leaves` (leaf hashes), by the RFC's definition.
    public static func root(_ leaves: ArraySlice<Hash>) -> Hash {
        switch leaves.count {
        case 0: return emptyRoot
        case 1: return leaves[leaves.startIndex]
        default:
            let k = split(leaves.count)
            let middle = leaves.startIndex + k
            return nodeHash(root(leaves[..<middle]), root(leaves[middle...]))
        }
    }

    /// The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 2.1.3.1), leaf
    /// side first. `subtree(range)` returns the hash of the subtree over those leaves.
    public static func inclusionProof(index: Int, size: Int, subtree: (Range<Int>) throws -> Hash) rethrows -> [Hash] {
        precondition(index >= 0 && index < size, "leaf index outside the tree")
        var range = 0..<size
        var steps: [Hash] = []
        while range.count > 1 {
            let k = split(range.count)
            let middle = range.lowerBound + k
            if index < middle {
                steps.append(try subtree(middle..<range.upperBound))
                range = range.lowerBound..<middle
            } else {
                steps.append(try subtree(range.lowerBound..<middle))
                range = middle..<range.upperBound
            }
        }
        return steps.reversed()
    }

    /// The consistency proof between the trees of `old` and `new` leaves (RFC 9162 2.1.4.1),
    /// 0 < old ≤ new.
    public static func consistencyProof(old: Int, new: Int, subtree: (Range<Int>) throws -> Hash) rethrows -> [Hash] {
        precondition(old > 0 && old <= new, "consistency needs 0 < old ≤ new")
        var steps: [Hash] = []
        var range = 0..<new
        var m = old
        var complete = true
        while m != range.count {
            let k = split(range.count)
            if m <= k {
                steps.append(try subtree(range.lowerBound + k..<range.upperBound))
                range = range.lowerBound..<range.lowerBound + k
            } else {
                steps.append(try subtree(range.lowerBound..<range.lowerBound + k))
                range = range.lowerBound + k..<range.upperBound
                m -= k
                complete = false
            }
        }
        if !complete { steps.append(try subtree(range)) }
        return steps.reversed()
    }
}
