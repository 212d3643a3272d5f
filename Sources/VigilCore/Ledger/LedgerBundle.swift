import Foundation

/// A verifiable NDJSON export (`GET /api/v1/events/export?format=ndjson&proofs=true`): a header
/// line with the checkpoint every proof leads to and the published keys, then one line per
/// event: `{"leaf_index":…,"inclusion_path":[…],"event":<the event's JSON verbatim>}`. The
/// event is the line's last member, so its exact bytes — what the leaf hashes — are everything
/// after `"event":` up to the line's final `}`. An event sealed after the checkpoint has
/// `"leaf_index":null` and no path.
public enum LedgerBundle {
    public static let version = "vigil-ledger-bundle/1"
    static let eventKey = #","event":"#

    public static func header(head: LedgerHead?, keys: [LedgerKeyRecord]) -> String {
        var writer = JSONWriter(capacity: 512)
        writer.object { object in
            object.field("bundle", Self.version)
            object.field("tree_size", Int64(head?.size ?? 0))
            object.field("checkpoint", head?.checkpoint)
            object.rawField("keys", "[" + keys.map(\.json).joined(separator: ",") + "]")
        }
        return writer.output + "\n"
    }

    public static func line(_ event: Event, proof: (index: Int, path: [Merkle.Hash])?) -> String {
        var writer = JSONWriter(capacity: 600)
        writer.raw("{\"leaf_index\":")
        if let proof {
            writer.int(Int64(proof.index))
            writer.raw(",\"inclusion_path\":")
            writer.raw(LedgerJSON.hashes(proof.path))
        } else {
            writer.raw("null,\"inclusion_path\":[]")
        }
        writer.raw(Self.eventKey)
        event.writeJSON(into: &writer)
        writer.raw("}\n")
        return writer.output
    }

    /// The exact event bytes of a bundle line; nil when the line has no event member last.
    public static func eventBytes(of line: Substring) -> Substring? {
        guard line.hasSuffix("}"), let start = line.range(of: Self.eventKey) else { return nil }
        return line[start.upperBound..<line.index(before: line.endIndex)]
    }
}

extension LedgerProofs {
    /// Inclusion paths in the tree of `size` leaves for each of `events` sealed below it, from
    /// one read of their leaf indices and one of every subtree hash they need.
    public func inclusions(of events: [Event], size: Int) async throws -> [UUID: (index: Int, path: [Merkle.Hash])] {
        guard size > 0, !events.isEmpty else { return [:] }
        let indices = try await self.store.ledgerLeafIndices(eventIDs: events.map(\.id)).filter { $0.value < size }
        return try await self.resolve { subtree in
            try indices.mapValues { index in (index, try Merkle.inclusionProof(index: index, size: size, subtree: subtree)) }
        }
    }
}
