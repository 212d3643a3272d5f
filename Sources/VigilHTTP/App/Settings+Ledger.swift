import Foundation
import VigilCore

extension Settings {
    public static let ledger = Setting.choice(
        "ledger",
        "Seal every event into the signed Merkle tree (off only to measure its cost)",
        \.ledger.enabled,
        ["on": true, "off": false]
    )
    public static let ledgerOrigin = Setting.text(
        "ledger-origin",
        "The log's name in its signed checkpoints (fixed by the first seal)",
        default: LedgerSettings().origin
    ) { text, configuration in
        guard LedgerSettings.validOrigin(text) else {
            throw StartupError("VIGIL_LEDGER_ORIGIN must be 1-255 printable ASCII characters without spaces or '+'")
        }
        configuration.ledger.origin = text
    }
    public static let ledgerKeyFile = readableFile(
        "ledger-key-file",
        "File holding the base64 Ed25519 seed that signs checkpoints (default: a generated key kept in the database)"
    ) { $1.ledger.keyFile = $0 }
    public static let ledgerSealInterval = Setting.integer(
        "ledger-seal-interval",
        "Milliseconds between sealing steps (an event is sealed about this long after commit)",
        \.ledger.sealIntervalMilliseconds,
        100...5000
    )
    public static let retentionDays = Setting.integer(
        "retention-days",
        "Days events are kept; 0 keeps them for ever",
        \.ledger.retentionDays,
        0...RetentionPolicy.maxDays
    )
    public static let retentionRules = Setting.text(
        "retention-rules",
        "Retention by type, prefix or severity, e.g. auth.*=365,severity:critical=730",
        default: "none"
    ) { text, configuration in
        switch RetentionPolicy.parseRules(text) {
        case .success(let rules): configuration.ledger.retentionRules = rules
        case .failure(let error): throw StartupError("VIGIL_RETENTION_RULES: \(error.message)")
        }
    }
    public static let ledgerSettings = [ledger, ledgerOrigin, ledgerKeyFile, ledgerSealInterval, retentionDays, retentionRules]
}
