import ArgumentParser
import Foundation
import Logging
import VigilCore
import VigilHTTP

/// Options shared by every command that opens the database. Names, help and defaults come from
/// `Settings`; each flag falls back to its `VIGIL_*` environment variable, then to the default.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong(Settings.databaseURL.flag!), help: .init(stringLiteral: Settings.databaseURL.help))
    var databaseURL: String?

    @Option(name: .customLong(Settings.databasePoolSize.flag!), help: .init(stringLiteral: Settings.databasePoolSize.help))
    var poolSize: String?

    @Option(name: .customLong(Settings.databaseTimeout.flag!), help: .init(stringLiteral: Settings.databaseTimeout.help))
    var timeout: String?

    @Option(name: .customLong(Settings.logLevel.flag!), help: .init(stringLiteral: Settings.logLevel.help))
    var logLevel: String?

    /// The flags of these options beside the settings they give.
    var given: [(Setting, String?)] {
        [
            (Settings.databaseURL, self.databaseURL), (Settings.databasePoolSize, self.poolSize), (Settings.databaseTimeout, self.timeout),
            (Settings.logLevel, self.logLevel),
        ]
    }

    /// The configuration these options (and the environment) make; what they do not set keeps
    /// its default.
    func configuration() throws -> AppConfiguration {
        var configuration = AppConfiguration()
        try Settings.apply(self.given, to: &configuration)
        return configuration
    }

    /// Opens the database these options name, runs `body` with it, and closes it.
    func withStorage<T: Sendable>(migrate: Bool = true, _ body: (any StorageEngine) async throws -> T) async throws -> T {
        let configuration = try self.configuration()
        return try await Storage.withStorage(
            databaseURL: configuration.databaseURL,
            options: configuration.storage,
            migrate: migrate,
            logger: Self.logger(configuration),
            body
        )
    }

    func logger() throws -> Logger { Self.logger(try self.configuration()) }

    static func logger(_ configuration: AppConfiguration) -> Logger {
        var logger = Logger(label: "vigil")
        logger.logLevel = configuration.logLevel
        return logger
    }
}
