import Foundation

extension LedgerHead {
    /// `{tree_size, root_hash, checkpoint}`; hashes are standard base64, as in checkpoints.
    public var json: String {
        var writer = JSONWriter(capacity: 256)
        writer.object { object in
            object.field("tree_size", Int64(self.size))
            object.field("root_hash", LedgerJSON.base64(self.rootHash))
            object.field("checkpoint", self.checkpoint)
        }
        return writer.output
    }
}

extension InclusionProof {
    public func json(eventID: UUID) -> String {
        var writer = JSONWriter(capacity: 256 + 48 * self.path.count)
        writer.object { object in
            object.field("event_id", eventID.lowercased)
            object.field("leaf_index", Int64(self.leafIndex))
            object.field("tree_size", Int64(self.treeSize))
            object.rawField("inclusion_path", LedgerJSON.hashes(self.path))
            object.field("checkpoint", self.checkpoint)
        }
        return writer.output
    }
}

extension ConsistencyProof {
    public var json: String {
        var writer = JSONWriter(capacity: 256 + 48 * self.path.count)
        writer.object { object in
            object.field("from", Int64(self.from))
            object.field("to", Int64(self.to))
            object.field("from_root", LedgerJSON.base64(self.fromRoot))
            object.field("to_root", LedgerJSON.base64(self.toRoot))
            object.rawField("consistency_path", LedgerJSON.hashes(self.path))
        }
        return writer.output
    }
}

extension LedgerKeyRecord {
    /// The public half only: id, signed-note name, raw key, verifier key and dates.
    public var json: String {
        var writer = JSONWriter(capacity: 256)
        writer.object { object in
            object.field("key_id", self.keyID)
            object.field("name", self.name)
            object.field("public_key", LedgerJSON.base64(self.publicKey))
            object.field("verifier_key", "\(self.name)+\(self.keyID)+\(LedgerJSON.base64([0x01] + self.publicKey))")
            object.field("created_at", self.createdAt.rfc3339)
            object.field("retired_at", self.retiredAt?.rfc3339)
        }
        return writer.output
    }
}

enum LedgerJSON {
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func hashes(_ hashes: [Merkle.Hash]) -> String {
        var writer = JSONWriter(capacity: 48 * hashes.count + 2)
        writer.raw("[")
        for (index, hash) in hashes.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(Self.base64(hash))
        }
        writer.raw("]")
        return writer.output
    }
}
