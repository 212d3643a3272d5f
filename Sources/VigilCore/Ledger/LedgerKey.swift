import Crypto
import Foundation

/// The Ed25519 key that signs checkpoints, under a signed-note key name (the log's origin).
public struct LedgerKey: Sendable {
    public let name: String
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey = .init()) {
        self.name = name
        self.privateKey = privateKey
    }

    /// The raw 32-byte public key.
    public var publicKey: [UInt8] { Array(self.privateKey.publicKey.rawRepresentation) }

    /// The 4-byte key hash that starts each signature: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[0..<4]
    /// (0x01 names Ed25519 in C2SP signed-note).
    public var keyHash: [UInt8] { Self.keyHash(name: self.name, publicKey: self.publicKey) }

    public static func keyHash(name: String, publicKey: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array(name.utf8) + [0x0A, 0x01] + publicKey).prefix(4))
    }

    /// The verifier key as signed-note tools take it: `<name>+<hex key hash>+<base64(0x01 ‖ key)>`.
    public var verifierKey: String {
        "\(self.name)+\(Hex.encode(self.keyHash))+\(Data([0x01] + self.publicKey).base64EncodedString())"
    }

    /// The name and raw public key of a verifier key (`<name>+<hex key hash>+<base64(0x01 ‖ key)>`);
    /// nil when it is malformed, not Ed25519, or its hash does not match.
    public static func parseVerifierKey(_ text: String) -> (name: String, publicKey: [UInt8])? {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let blob = Data(base64Encoded: String(parts[2])), blob.count == 33, blob.first == 0x01 else {
            return nil
        }
        let name = String(parts[0])
        let publicKey = Array(blob.dropFirst())
        guard Hex.encode(Self.keyHash(name: name, publicKey: publicKey)) == parts[1].lowercased() else { return nil }
        return (name, publicKey)
    }
}
