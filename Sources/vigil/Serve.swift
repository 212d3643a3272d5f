import ArgumentParser
import Foundation
import Hummingbird
import VigilCore
import VigilHTTP

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Vigil HTTP server (migrates the database first).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var hardening: HardeningOptions
    @OptionGroup(title: "Log sources") var logSources: LogSourceOptions
    @OptionGroup(title: "Tamper-evident ledger") var ledger: LedgerOptions

    @Option(name: .customLong(Settings.host.flag!), help: .init(stringLiteral: Settings.host.help))
    var host: String?

    @Option(name: .customLong(Settings.port.flag!), help: .init(stringLiteral: Settings.port.help))
    var port: String?

    @Option(name: .customLong(Settings.jwtSecret.flag!), help: .init(stringLiteral: Settings.jwtSecret.help))
    var jwtSecret: String?

    @Option(name: .customLong(Settings.registration.flag!), help: .init(stringLiteral: Settings.registration.help))
    var registration: String?

    @Option(name: .customLong(Settings.accessTokenTTL.flag!), help: .init(stringLiteral: Settings.accessTokenTTL.help))
    var accessTokenTTL: String?

    @Option(name: .customLong(Settings.refreshTokenTTL.flag!), help: .init(stringLiteral: Settings.refreshTokenTTL.help))
    var refreshTokenTTL: String?

    @Option(name: .customLong(Settings.bcryptCost.flag!), help: .init(stringLiteral: Settings.bcryptCost.help))
    var bcryptCost: String?

    @Option(name: .customLong(Settings.sqliteSynchronous.flag!), help: .init(stringLiteral: Settings.sqliteSynchronous.help))
    var sqliteSynchronous: String?

    @Option(name: .customLong(Settings.loginIPLimit.flag!), help: .init(stringLiteral: Settings.loginIPLimit.help))
    var loginIPLimit: String?

    @Option(name: .customLong(Settings.loginUserLimit.flag!), help: .init(stringLiteral: Settings.loginUserLimit.help))
    var loginUserLimit: String?

    @Option(name: .customLong(Settings.loginMaxBackoff.flag!), help: .init(stringLiteral: Settings.loginMaxBackoff.help))
    var loginMaxBackoff: String?

    @Option(name: .customLong(Settings.ingestRateLimit.flag!), help: .init(stringLiteral: Settings.ingestRateLimit.help))
    var ingestRateLimit: String?

    @Option(name: .customLong(Settings.notificationTimeout.flag!), help: .init(stringLiteral: Settings.notificationTimeout.help))
    var notificationTimeout: String?

    @Option(name: .customLong(Settings.exportConcurrency.flag!), help: .init(stringLiteral: Settings.exportConcurrency.help))
    var exportConcurrency: String?

    @Option(name: .customLong(Settings.publicURL.flag!), help: .init(stringLiteral: Settings.publicURL.help))
    var publicURL: String?

    @Option(name: .customLong(Settings.smtpCAFile.flag!), help: .init(stringLiteral: Settings.smtpCAFile.help))
    var smtpCAFile: String?

    @Option(name: .customLong(Settings.trustedProxies.flag!), help: .init(stringLiteral: Settings.trustedProxies.help))
    var trustedProxies: String?

    func run() async throws {
        do {
            let app = try await buildApplication(configuration: try await self.appConfiguration())
            try await app.runService()
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("vigil: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Every setting `serve` takes, from flags, then the environment, then the defaults.
    func appConfiguration() async throws -> AppConfiguration {
        try await self.database.configuration(self.given + self.hardening.given + self.logSources.given + self.ledger.given)
    }

    /// The flags of `serve`'s own options beside the settings they give (the admin password
    /// only from the environment: flags show in `ps`).
    var given: [(Setting, String?)] {
        [
            (Settings.host, self.host),
            (Settings.port, self.port),
            (Settings.jwtSecret, self.jwtSecret),
            (Settings.registration, self.registration),
            (Settings.accessTokenTTL, self.accessTokenTTL),
            (Settings.refreshTokenTTL, self.refreshTokenTTL),
            (Settings.bcryptCost, self.bcryptCost),
            (Settings.sqliteSynchronous, self.sqliteSynchronous),
            (Settings.loginIPLimit, self.loginIPLimit),
            (Settings.loginUserLimit, self.loginUserLimit),
            (Settings.loginMaxBackoff, self.loginMaxBackoff),
            (Settings.ingestRateLimit, self.ingestRateLimit),
            (Settings.notificationTimeout, self.notificationTimeout),
            (Settings.exportConcurrency, self.exportConcurrency),
            (Settings.publicURL, self.publicURL),
            (Settings.smtpCAFile, self.smtpCAFile),
            (Settings.trustedProxies, self.trustedProxies),
            (Settings.adminPassword, nil),
        ]
    }
}
