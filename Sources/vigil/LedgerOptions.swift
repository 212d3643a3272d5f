import ArgumentParser
import VigilHTTP

/// The tamper-evident ledger's and retention's options of `vigil serve`.
struct LedgerOptions: ParsableArguments {
    @Option(name: .customLong(Settings.ledger.flag!), help: .init(stringLiteral: Settings.ledger.help))
    var ledger: String?

    @Option(name: .customLong(Settings.ledgerOrigin.flag!), help: .init(stringLiteral: Settings.ledgerOrigin.help))
    var ledgerOrigin: String?

    @Option(name: .customLong(Settings.ledgerKeyFile.flag!), help: .init(stringLiteral: Settings.ledgerKeyFile.help))
    var ledgerKeyFile: String?

    @Option(name: .customLong(Settings.ledgerSealInterval.flag!), help: .init(stringLiteral: Settings.ledgerSealInterval.help))
    var ledgerSealInterval: String?

    @Option(name: .customLong(Settings.retentionDays.flag!), help: .init(stringLiteral: Settings.retentionDays.help))
    var retentionDays: String?

    @Option(name: .customLong(Settings.retentionRules.flag!), help: .init(stringLiteral: Settings.retentionRules.help))
    var retentionRules: String?

    var given: [(Setting, String?)] {
        [
            (Settings.ledger, self.ledger),
            (Settings.ledgerOrigin, self.ledgerOrigin),
            (Settings.ledgerKeyFile, self.ledgerKeyFile),
            (Settings.ledgerSealInterval, self.ledgerSealInterval),
            (Settings.retentionDays, self.retentionDays),
            (Settings.retentionRules, self.retentionRules),
        ]
    }
}
