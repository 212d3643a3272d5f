import ArgumentParser
import Foundation
import Logging
import VigilCore
import VigilHTTP

/// Options shared by every command that opens the database. Each flag falls back to its
/// `VIGIL_*` environment variable, then to the default.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help:
            "sqlite:///abs/path.sqlite, sqlite::memory: or postgres://user:pass@host:port/db?sslmode=… (env VIGIL_DATABASE_URL; default sqlite://vigil.sqlite)."
    )
    var databaseURL: String?

    @Option(name: .customLong("database-pool-size"), help: "PostgreSQL connections per node (env VIGIL_DATABASE_POOL_SIZE; default 10).")
    var poolSize: String?

    @Option(
        name: .customLong("database-timeout"),
        help: "Seconds a request waits for PostgreSQL before failing with 503 (env VIGIL_DATABASE_TIMEOUT; default 5)."
    )
    var timeout: String?

    @Option(name: .customLong("log-level"), help: "trace|debug|info|notice|warning|error|critical (env VIGIL_LOG_LEVEL; default info).")
    var logLevel: String?

    var resolvedDatabaseURL: String { Environment.value(self.databaseURL, "VIGIL_DATABASE_URL") ?? "sqlite://vigil.sqlite" }

    /// Pool size and timeout; the SQLite durability option belongs to `serve`.
    func storageOptions() throws -> StorageOptions {
        StorageOptions(
            poolSize: try Environment.integer(self.poolSize, "VIGIL_DATABASE_POOL_SIZE", default: 10, range: 1...500),
            timeoutSeconds: try Environment.integer(self.timeout, "VIGIL_DATABASE_TIMEOUT", default: 5, range: 1...300)
        )
    }

    func resolvedLogLevel() throws -> Logger.Level {
        let text = Environment.value(self.logLevel, "VIGIL_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("log level must be one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }

    /// Opens the database these options name, runs `body` with it, and closes it.
    func withStorage<T: Sendable>(migrate: Bool = true, _ body: (any StorageEngine) async throws -> T) async throws -> T {
        try await Storage.withStorage(
            databaseURL: self.resolvedDatabaseURL,
            options: try self.storageOptions(),
            migrate: migrate,
            logger: try self.logger(),
            body
        )
    }

    func logger() throws -> Logger {
        var logger = Logger(label: "vigil")
        logger.logLevel = try self.resolvedLogLevel()
        return logger
    }
}

enum Environment {
    /// The flag's value if given, else the environment variable if set and not empty.
    static func value(_ flag: String?, _ name: String) -> String? {
        if let flag { return flag }
        if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return value }
        return nil
    }

    static func integer<T: FixedWidthInteger>(_ flag: String?, _ name: String, default fallback: T, range: ClosedRange<T>) throws -> T {
        guard let text = value(flag, name) else { return fallback }
        guard let number = T(text), range.contains(number) else {
            throw ValidationError("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
