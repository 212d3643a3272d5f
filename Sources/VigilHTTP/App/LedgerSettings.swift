import VigilCore

/// The tamper-evident ledger's and retention's settings (`VIGIL_LEDGER*`, `VIGIL_RETENTION*`).
public struct LedgerSettings: Sendable, Equatable {
    /// Whether the sealer runs. Off only to measure what it costs; the API then reports no head.
    public var enabled = true
    /// The log's name in checkpoints (and its key's name); a stored log keeps its first one.
    public var origin = "vigil"
    /// A file with the base64 Ed25519 seed; nil keeps a generated key in the database.
    public var keyFile: String?
    /// Milliseconds between sealing steps: events are sealed about this long after commit.
    public var sealIntervalMilliseconds = 1000
    /// Days events are kept (`VIGIL_RETENTION_DAYS`; 0 keeps them for ever).
    public var retentionDays = 0
    /// Retention by type, prefix or severity (`VIGIL_RETENTION_RULES`).
    public var retentionRules: [RetentionPolicy.Rule] = []

    /// The retention policy these settings make.
    public var retention: RetentionPolicy {
        RetentionPolicy(defaultDays: self.retentionDays > 0 ? self.retentionDays : nil, rules: self.retentionRules)
    }

    public init() {}

    /// A signed-note key name: printable ASCII without spaces or '+', at most 255 bytes.
    static func validOrigin(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 255 && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "+") }
    }
}
