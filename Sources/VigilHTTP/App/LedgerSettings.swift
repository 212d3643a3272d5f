/// The tamper-evident ledger's settings (`VIGIL_LEDGER*`).
public struct LedgerSettings: Sendable, Equatable {
    /// Whether the sealer runs. Off only to measure what it costs; the API then reports no head.
    public var enabled = true
    /// The log's name in checkpoints (and its key's name); a stored log keeps its first one.
    public var origin = "vigil"
    /// A file with the base64 Ed25519 seed; nil keeps a generated key in the database.
    public var keyFile: String?
    /// Milliseconds between sealing steps: events are sealed about this long after commit.
    public var sealIntervalMilliseconds = 1000

    public init() {}

    /// A signed-note key name: printable ASCII without spaces or '+', at most 255 bytes.
    static func validOrigin(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 255 && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "+") }
    }
}
