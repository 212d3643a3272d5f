import Crypto
import Foundation

/// A signed statement of the log's size and root: the C2SP `tlog-checkpoint` body
/// (`<origin>\n<size>\n<base64 root>\n`) in a C2SP `signed-note`, signed with Ed25519:
/// a blank line, then `— <key name> <base64(key hash ‖ signature)>` per signature, where the key
/// hash is the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
public struct Checkpoint: Sendable, Equatable {
    public var origin: String
    public var size: Int
    public var rootHash: Merkle.Hash

    public init(origin: String, size: Int, rootHash: Merkle.Hash) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
    }

    /// The note's text: what is signed.
    public var body: String {
        "\(self.origin)\n\(self.size)\n\(Data(self.rootHash).base64EncodedString())\n"
    }

    /// The signed note: the body, a blank line and one signature line.
    public func signed(by key: LedgerKey) throws -> String {
        let signature = try key.privateKey.signature(for: Array(self.body.utf8))
        let blob = key.keyHash + Array(signature)
        return self.body + "\n— \(key.name) \(Data(blob).base64EncodedString())\n"
    }

    /// The checkpoint in `note` when one of its signature lines is `name`'s valid Ed25519
    /// signature by `publicKey` over its text; nil otherwise (malformed, unsigned, tampered).
    public static func verified(note: String, name: String, publicKey: [UInt8]) -> Checkpoint? {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey),
            let split = note.range(of: "\n\n")
        else { return nil }
        let body = String(note[..<split.upperBound].dropLast())
        let keyHash = LedgerKey.keyHash(name: name, publicKey: publicKey)
        var valid = false
        for line in note[split.upperBound...].split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "—", parts[1] == name, let blob = Data(base64Encoded: String(parts[2])),
                blob.count == 4 + 64, Array(blob.prefix(4)) == keyHash
            else { continue }
            if key.isValidSignature(blob.dropFirst(4), for: Array(body.utf8)) { valid = true }
        }
        guard valid else { return nil }
        return Self.parse(body: body)
    }

    /// Origin, size and root of a checkpoint body; extension lines after the root are allowed.
    public static func parse(body: String) -> Checkpoint? {
        guard body.hasSuffix("\n") else { return nil }
        let lines = body.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, !lines[0].isEmpty, let size = Int(lines[1]), size >= 0, String(size) == lines[1],
            let root = Data(base64Encoded: String(lines[2])), root.count == 32
        else { return nil }
        return Checkpoint(origin: String(lines[0]), size: size, rootHash: Array(root))
    }

    /// The 4-byte key hashes of a note's signature lines, in order.
    public static func keyHashes(in note: String) -> [[UInt8]] {
        guard let split = note.range(of: "\n\n") else { return [] }
        return note[split.upperBound...].split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "—", let blob = Data(base64Encoded: String(parts[2])), blob.count > 4 else { return nil }
            return Array(blob.prefix(4))
        }
    }
}
