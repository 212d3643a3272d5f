import Crypto
import Foundation

/// Where the checkpoint signing key comes from: generated on first start and kept in the
/// database (rotated with `vigil ledger rotate-key`), or read from `VIGIL_LEDGER_KEY_FILE` and
/// never stored. Either way its public half is published, and stays published once retired.
public struct LedgerSigner: Sendable {
    public enum Source: Sendable {
        case database
        case file(Curve25519.Signing.PrivateKey)
    }

    public let source: Source

    public init(source: Source) {
        self.source = source
    }

    /// The key that signs checkpoints of the log named `origin` now, publishing it (and
    /// generating it, for `.database`) when it is not the active key yet.
    public func activeKey(origin: String, store: any LedgerStore, now: Timestamp = .now()) async throws -> LedgerKey {
        let keys = try await store.ledgerKeys()
        switch self.source {
        case .file(let privateKey):
            let key = LedgerKey(name: origin, privateKey: privateKey)
            if !keys.contains(where: { $0.keyID == Self.keyID(key) && $0.retiredAt == nil }) {
                try await store.activateLedgerKey(Self.record(key, keepPrivate: false, now: now))
            }
            return key
        case .database:
            if let active = keys.first(where: { $0.retiredAt == nil && $0.name == origin }), let seed = active.privateKey,
                let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            {
                return LedgerKey(name: origin, privateKey: privateKey)
            }
            return try await Self.rotate(origin: origin, store: store, now: now)
        }
    }

    /// Generates a new database key for `origin`, publishes it and retires the others.
    @discardableResult
    public static func rotate(origin: String, store: any LedgerStore, now: Timestamp = .now()) async throws -> LedgerKey {
        let key = LedgerKey(name: origin)
        try await store.activateLedgerKey(Self.record(key, keepPrivate: true, now: now))
        return key
    }

    /// A key's id: its signed-note key hash in hex.
    public static func keyID(_ key: LedgerKey) -> String { Hex.encode(key.keyHash) }

    static func record(_ key: LedgerKey, keepPrivate: Bool, now: Timestamp) -> LedgerKeyRecord {
        LedgerKeyRecord(
            keyID: Self.keyID(key),
            name: key.name,
            publicKey: key.publicKey,
            privateKey: keepPrivate ? Array(key.privateKey.rawRepresentation) : nil,
            createdAt: now,
            retiredAt: nil
        )
    }

    /// Reads a key file: the base64 of the 32-byte Ed25519 seed on one line (what
    /// `vigil ledger keygen` writes); nil when it is not one.
    public static func parseKeyFile(_ text: String) -> Curve25519.Signing.PrivateKey? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let seed = Data(base64Encoded: trimmed), seed.count == 32 else { return nil }
        return try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }
}
