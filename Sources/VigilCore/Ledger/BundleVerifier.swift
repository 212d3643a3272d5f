import Foundation

/// Checks a verifiable export (`LedgerBundle`) line by line with no database: the header's
/// checkpoint must be signed by a trusted key, and each event's bytes must hash to a leaf that
/// its inclusion path leads to that checkpoint's root.
public struct BundleVerifier: Sendable {
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var eventID: String?
        public var reason: String

        public var description: String { "line \(self.line)\(self.eventID.map { " (event \($0))" } ?? ""): \(self.reason)" }
    }

    public enum HeaderError: Error, Sendable, Equatable, CustomStringConvertible {
        case notABundle
        case unsigned

        public var description: String {
            switch self {
            case .notABundle: "the first line is not a \(LedgerBundle.version) header"
            case .unsigned: "the bundle's checkpoint is not signed by a trusted key"
            }
        }
    }

    /// Trusted keys; when empty, the keys the bundle itself lists (which proves only that the
    /// bundle is consistent with itself).
    let trustedKeys: [(name: String, publicKey: [UInt8])]
    public private(set) var checkpoint: Checkpoint?
    public private(set) var proven = 0
    public private(set) var unsealed = 0
    public private(set) var failures: [Failure] = []
    var lineNumber = 1

    public init(trustedKeys: [(name: String, publicKey: [UInt8])]) {
        self.trustedKeys = trustedKeys
    }

    /// Reads the header line: the checkpoint and, without trusted keys, the bundle's keys.
    public mutating func header(_ line: Substring) throws(HeaderError) {
        guard case .object(let fields)? = try? JSONParser.parse(Array(line.utf8)), fields["bundle"] == .string(LedgerBundle.version) else {
            throw .notABundle
        }
        guard case .string(let note)? = fields["checkpoint"] else { return }  // an empty log: nothing sealed
        var keys = self.trustedKeys
        if keys.isEmpty, case .array(let listed)? = fields["keys"] {
            keys = listed.compactMap { key in
                guard case .object(let key) = key, case .string(let name)? = key["name"], case .string(let text)? = key["public_key"],
                    let raw = Data(base64Encoded: text)
                else { return nil }
                return (name, Array(raw))
            }
        }
        guard let checkpoint = keys.lazy.compactMap({ Checkpoint.verified(note: note, name: $0.name, publicKey: $0.publicKey) }).first else {
            throw .unsigned
        }
        self.checkpoint = checkpoint
    }

    /// Checks one event line.
    public mutating func check(_ line: Substring) {
        self.lineNumber += 1
        guard let bytes = LedgerBundle.eventBytes(of: line), case .object(let fields)? = try? JSONParser.parse(Array(line.utf8)) else {
            self.failures.append(Failure(line: self.lineNumber, eventID: nil, reason: "not a bundle line"))
            return
        }
        var eventID: String?
        if case .object(let event)? = fields["event"], case .string(let id)? = event["id"] { eventID = id }
        guard case .int(let index)? = fields["leaf_index"] else {
            self.unsealed += 1
            return
        }
        guard let checkpoint, case .array(let items)? = fields["inclusion_path"] else {
            self.failures.append(Failure(line: self.lineNumber, eventID: eventID, reason: "a proof without a checkpoint"))
            return
        }
        let path = items.compactMap { item -> Merkle.Hash? in
            guard case .string(let text) = item, let hash = Data(base64Encoded: text), hash.count == 32 else { return nil }
            return Array(hash)
        }
        guard path.count == items.count,
            Merkle.verifyInclusion(
                leaf: Merkle.leafHash(bytes.utf8),
                index: Int(index),
                size: checkpoint.size,
                proof: path,
                root: checkpoint.rootHash
            )
        else {
            self.failures.append(Failure(line: self.lineNumber, eventID: eventID, reason: "the event does not verify against the checkpoint"))
            return
        }
        self.proven += 1
    }
}
