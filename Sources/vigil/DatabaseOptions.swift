import ArgumentParser
import Foundation
import Logging
import VigilCore
import VigilHTTP

/// Options shared by every command that opens the database. Names, help and defaults come from
/// `Settings`; each value is taken from the flag, else its `VIGIL_*` environment variable, else
/// the config file, else the default.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: "YAML or JSON file of settings by name, e.g. `port: 8080` (env VIGIL_CONFIG; flags and variables win over it)."
    )
    var config: String?

    @Option(name: .customLong(Settings.databaseURL.flag!), help: .init(stringLiteral: Settings.databaseURL.help))
    var databaseURL: String?

    @Option(name: .customLong(Settings.databasePoolSize.flag!), help: .init(stringLiteral: Settings.databasePoolSize.help))
    var poolSize: String?

    @Option(name: .customLong(Settings.databaseTimeout.flag!), help: .init(stringLiteral: Settings.databaseTimeout.help))
    var timeout: String?

    @Option(name: .customLong(Settings.logLevel.flag!), help: .init(stringLiteral: Settings.logLevel.help))
    var logLevel: String?

    @Option(name: .customLong(Settings.logFormat.flag!), help: .init(stringLiteral: Settings.logFormat.help))
    var logFormat: String?

    /// The flags of these options beside the settings they give.
    var given: [(Setting, String?)] {
        [
            (Settings.databaseURL, self.databaseURL), (Settings.databasePoolSize, self.poolSize), (Settings.databaseTimeout, self.timeout),
            (Settings.logLevel, self.logLevel), (Settings.logFormat, self.logFormat),
        ]
    }

    /// The configuration these options, `more` (a command's own), the environment and the
    /// config file make; what none sets keeps its default. Starts logging in the chosen format.
    func configuration(_ more: [(Setting, String?)] = []) async throws -> AppConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var file: [String: String] = [:]
        if let path = self.config ?? environment["VIGIL_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            file = try await ConfigFile.load(path)
        }
        var configuration = AppConfiguration()
        configuration.version = BuildInfo.version
        try Settings.apply(self.given + more, environment: environment, file: file, to: &configuration)
        LogOutput.start(configuration.logFormat)
        return configuration
    }

    /// Opens the database these options name, runs `body` with it, and closes it.
    func withStorage<T: Sendable>(migrate: Bool = true, _ body: (any StorageEngine) async throws -> T) async throws -> T {
        let configuration = try await self.configuration()
        return try await Storage.withStorage(
            databaseURL: configuration.databaseURL,
            options: configuration.storage,
            migrate: migrate,
            logger: Self.logger(configuration),
            body
        )
    }

    static func logger(_ configuration: AppConfiguration) -> Logger {
        var logger = Logger(label: "vigil")
        logger.logLevel = configuration.logLevel
        return logger
    }
}
