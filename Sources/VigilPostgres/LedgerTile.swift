import Foundation
import NIOCore
import VigilCore

/// One row of `ledger_tiles`: leaves `256 · index …` in order, each an event id (16 bytes) and a
/// leaf hash (32 bytes). Only the newest tile may hold fewer than 256.
struct LedgerTile: Sendable {
    static let width = 256

    let index: Int
    let eventIDs: [UInt8]
    let hashes: [UInt8]

    init(index: Int, eventIDs: ByteBuffer, hashes: ByteBuffer) throws {
        guard index >= 0, hashes.readableBytes % 32 == 0, eventIDs.readableBytes * 2 == hashes.readableBytes,
            (32...32 * Self.width).contains(hashes.readableBytes)
        else { throw CorruptRow(table: "ledger_tiles") }
        self.index = index
        self.eventIDs = Array(buffer: eventIDs)
        self.hashes = Array(buffer: hashes)
    }

    /// How many leaves the tile holds.
    var count: Int { self.hashes.count / 32 }

    /// The index of the tile's first leaf.
    var firstLeaf: Int { self.index * Self.width }

    func hash(at offset: Int) -> Merkle.Hash {
        Array(self.hashes[offset * 32..<offset * 32 + 32])
    }

    func eventID(at offset: Int) -> UUID {
        self.eventIDs.withUnsafeBytes { UUID(uuid: $0.loadUnaligned(fromByteOffset: offset * 16, as: uuid_t.self)) }
    }

    func leaf(at offset: Int, prunedBy: UUID?) -> LedgerLeaf {
        LedgerLeaf(index: self.firstLeaf + offset, eventID: self.eventID(at: offset), hash: self.hash(at: offset), prunedBy: prunedBy)
    }

    /// The event ids and hashes of consecutive leaves, as a tile stores them.
    static func encode(_ leaves: ArraySlice<LedgerLeaf>) -> (eventIDs: ByteBuffer, hashes: ByteBuffer) {
        var ids = ByteBufferAllocator().buffer(capacity: leaves.count * 16)
        var hashes = ByteBufferAllocator().buffer(capacity: leaves.count * 32)
        for leaf in leaves {
            withUnsafeBytes(of: leaf.eventID.uuid) { _ = ids.writeBytes($0) }
            hashes.writeBytes(leaf.hash)
        }
        return (ids, hashes)
    }
}
