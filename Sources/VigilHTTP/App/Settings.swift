import Foundation
import Logging
import VigilCore

/// Every operator setting of `vigil`, in the order `--help` and the README list them. The
/// defaults are `AppConfiguration()`'s; nothing here repeats one.
public enum Settings {
    // Every command: where the database is and how loudly to log.
    public static let databaseURL = Setting.text(
        "database-url",
        "sqlite:///abs/path.sqlite, sqlite::memory: or postgres://user:pass@host:port/db?sslmode=…",
        default: AppConfiguration().databaseURL,
        secret: true
    ) { text, configuration in configuration.databaseURL = text }
    public static let databasePoolSize = Setting.integer("database-pool-size", "PostgreSQL connections per node", \.storage.poolSize, 1...500)
    public static let databaseTimeout = Setting.integer(
        "database-timeout",
        "Seconds a request waits for PostgreSQL before failing with 503",
        \.storage.timeoutSeconds,
        1...300
    )
    public static let logLevel = Setting.choice(
        "log-level",
        "trace|debug|info|notice|warning|error|critical",
        \.logLevel,
        ["trace": .trace, "debug": .debug, "info": .info, "notice": .notice, "warning": .warning, "error": .error, "critical": .critical]
    )
    public static let logFormat = Setting.choice(
        "log-format",
        "text|json: one line of text per record, or one JSON object (for log shippers)",
        \.logFormat,
        ["text": .text, "json": .json]
    )
    public static let database = [databaseURL, databasePoolSize, databaseTimeout, logLevel, logFormat]

    // `vigil serve`.
    public static let host = Setting.text("host", "Address to listen on", default: AppConfiguration().host) { text, configuration in
        configuration.host = text
    }
    public static let port = Setting.integer("port", "Port to listen on", \.port, 0...65535)
    public static let jwtSecret = Setting.text("jwt-secret", "HS256 secret, ≥ 32 bytes", default: "generated, kept in the database", secret: true) {
        text,
        configuration in configuration.jwtSecret = text
    }
    public static let adminPassword = Setting.text("admin-password", flag: false, "Password of the first admin", default: "random", secret: true) {
        text,
        configuration in configuration.adminPassword = text
    }
    public static let registration = Setting.choice(
        "registration",
        "open|closed: whether anyone may register",
        \.registration,
        ["open": .open, "closed": .closed]
    )
    public static let accessTokenTTL = Setting.integer(
        "access-token-ttl",
        "Access token lifetime, seconds",
        \.accessTokenLifetimeSeconds,
        30...86_400
    )
    public static let refreshTokenTTL = Setting.integer(
        "refresh-token-ttl",
        "Refresh token lifetime, seconds",
        \.refreshTokenLifetimeSeconds,
        60...31_536_000
    )
    public static let bcryptCost = Setting.integer("bcrypt-cost", "bcrypt cost, 12-16", \.bcryptCost, 12...16)
    public static let sqliteSynchronous = Setting.choice(
        "sqlite-synchronous",
        "full|normal: fsync every commit, or only at checkpoints",
        \.storage.sqliteSynchronousFull,
        ["full": true, "normal": false]
    )
    public static let serve = [host, port, jwtSecret, adminPassword, registration, accessTokenTTL, refreshTokenTTL, bcryptCost, sqliteSynchronous]
}

extension Settings {
    /// Applies each setting's flag value, else its environment variable, else its config file
    /// value (`file`, by setting name) to `configuration`.
    public static func apply(
        _ given: [(Setting, String?)],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        file: [String: String] = [:],
        to configuration: inout AppConfiguration
    ) throws {
        for (setting, value) in given { try setting.apply(value, environment: environment, file: file, to: &configuration) }
    }
}
