import ArgumentParser
import Foundation
import Hummingbird
import VigilCore
import VigilHTTP

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Vigil HTTP server (migrates the database first).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var hardening: HardeningOptions

    @Option(help: "Address to listen on (env VIGIL_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env VIGIL_PORT; default 8080).")
    var port: String?

    @Option(name: .customLong("jwt-secret"), help: "HS256 secret, ≥ 32 bytes (env VIGIL_JWT_SECRET; default: generated once, kept in the database).")
    var jwtSecret: String?

    @Option(help: "open|closed: whether anyone may register (env VIGIL_REGISTRATION; default closed).")
    var registration: String?

    @Option(name: .customLong("access-token-ttl"), help: "Access token lifetime in seconds (env VIGIL_ACCESS_TOKEN_TTL; default 900).")
    var accessTokenTTL: String?

    @Option(name: .customLong("refresh-token-ttl"), help: "Refresh token lifetime in seconds (env VIGIL_REFRESH_TOKEN_TTL; default 604800).")
    var refreshTokenTTL: String?

    @Option(name: .customLong("bcrypt-cost"), help: "bcrypt cost, 12-16 (env VIGIL_BCRYPT_COST; default 12).")
    var bcryptCost: String?

    @Option(name: .customLong("sqlite-synchronous"), help: "full|normal (env VIGIL_SQLITE_SYNCHRONOUS; default full).")
    var sqliteSynchronous: String?

    @Option(name: .customLong("login-ip-limit"), help: "Failed logins per client address per minute (env VIGIL_LOGIN_IP_LIMIT; default 10).")
    var loginIPLimit: String?

    @Option(
        name: .customLong("login-user-limit"),
        help: "Consecutive failed logins per username before back-off (env VIGIL_LOGIN_USER_LIMIT; default 5)."
    )
    var loginUserLimit: String?

    @Option(name: .customLong("login-max-backoff"), help: "Longest per-username back-off, seconds (env VIGIL_LOGIN_MAX_BACKOFF; default 900).")
    var loginMaxBackoff: String?

    @Option(name: .customLong("ingest-rate-limit"), help: "Events per second per principal, 0 = off (env VIGIL_INGEST_RATE_LIMIT; default 0).")
    var ingestRateLimit: String?

    @Option(
        name: .customLong("notification-timeout"),
        help: "Seconds one notification attempt may take (env VIGIL_NOTIFICATION_TIMEOUT; default 10)."
    )
    var notificationTimeout: String?

    @Option(name: .customLong("export-concurrency"), help: "Exports one node streams at once (env VIGIL_EXPORT_CONCURRENCY; default 4).")
    var exportConcurrency: String?

    @Option(
        name: .customLong("public-url"),
        help: "The URL people and Telex reach Vigil at, for integration.json (env VIGIL_PUBLIC_URL; default http://host:port)."
    )
    var publicURL: String?

    @Option(
        name: .customLong("smtp-ca-file"),
        help: "PEM file of a CA trusted for SMTP TLS besides the system's (env VIGIL_SMTP_CA_FILE)."
    )
    var smtpCAFile: String?

    @Option(
        name: .customLong("trusted-proxies"),
        help: "Comma-separated CIDRs whose X-Forwarded-For/Forwarded are believed (env VIGIL_TRUSTED_PROXIES)."
    )
    var trustedProxies: String?

    func run() async throws {
        let configuration = try self.appConfiguration()
        do {
            let app = try await buildApplication(configuration: configuration)
            try await app.runService()
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("vigil: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    func appConfiguration() throws -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.host = Environment.value(self.host, "VIGIL_HOST") ?? configuration.host
        configuration.port = try Environment.integer(self.port, "VIGIL_PORT", default: 8080, range: 0...65535)
        configuration.databaseURL = self.database.resolvedDatabaseURL
        configuration.storage = try self.database.storageOptions()
        configuration.jwtSecret = Environment.value(self.jwtSecret, "VIGIL_JWT_SECRET")
        configuration.logLevel = try self.database.resolvedLogLevel()
        let registration = Environment.value(self.registration, "VIGIL_REGISTRATION") ?? "closed"
        guard let mode = AppConfiguration.Registration(rawValue: registration.lowercased()) else {
            throw ValidationError("VIGIL_REGISTRATION must be open or closed")
        }
        configuration.registration = mode
        configuration.adminPassword = Environment.value(nil, "VIGIL_ADMIN_PASSWORD")
        configuration.accessTokenLifetimeSeconds = try Environment.integer(
            self.accessTokenTTL,
            "VIGIL_ACCESS_TOKEN_TTL",
            default: 900,
            range: 30...86_400
        )
        configuration.refreshTokenLifetimeSeconds = try Environment.integer(
            self.refreshTokenTTL,
            "VIGIL_REFRESH_TOKEN_TTL",
            default: 604_800,
            range: 60...31_536_000
        )
        configuration.bcryptCost = try Environment.integer(self.bcryptCost, "VIGIL_BCRYPT_COST", default: 12, range: 12...16)
        configuration.loginThrottle = LoginThrottlePolicy(
            ipFailuresPerMinute: try Environment.integer(self.loginIPLimit, "VIGIL_LOGIN_IP_LIMIT", default: 10, range: 1...100_000),
            userFailuresBeforeBackoff: try Environment.integer(self.loginUserLimit, "VIGIL_LOGIN_USER_LIMIT", default: 5, range: 1...1000),
            maxBackoffSeconds: try Environment.integer(self.loginMaxBackoff, "VIGIL_LOGIN_MAX_BACKOFF", default: 900, range: 1...86_400)
        )
        configuration.ingestRateLimit = try Environment.integer(self.ingestRateLimit, "VIGIL_INGEST_RATE_LIMIT", default: 0, range: 0...10_000_000)
        configuration.notificationTimeoutSeconds = try Environment.integer(
            self.notificationTimeout,
            "VIGIL_NOTIFICATION_TIMEOUT",
            default: 10,
            range: 1...300
        )
        configuration.exportConcurrency = try Environment.integer(
            self.exportConcurrency,
            "VIGIL_EXPORT_CONCURRENCY",
            default: 4,
            range: 1...64
        )
        if let url = Environment.value(self.publicURL, "VIGIL_PUBLIC_URL") {
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                components.host?.isEmpty == false
            else { throw ValidationError("VIGIL_PUBLIC_URL must be an http or https URL") }
            configuration.publicURL = url
        }
        if let file = Environment.value(self.smtpCAFile, "VIGIL_SMTP_CA_FILE") {
            guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("VIGIL_SMTP_CA_FILE: cannot read \(file)") }
            configuration.smtpCAFiles = [file]
        }
        let proxies = (Environment.value(self.trustedProxies, "VIGIL_TRUSTED_PROXIES") ?? "").split(separator: ",").map {
            String($0.filter { $0 != " " })
        }.filter { !$0.isEmpty }
        configuration.trustedProxies = try proxies.map { text in
            guard let range = CIDRRange(text) else { throw ValidationError("VIGIL_TRUSTED_PROXIES: '\(text)' is not a CIDR range") }
            return range
        }
        try self.hardening.apply(to: &configuration)
        switch (Environment.value(self.sqliteSynchronous, "VIGIL_SQLITE_SYNCHRONOUS") ?? "full").lowercased() {
        case "full": configuration.storage.sqliteSynchronousFull = true
        case "normal": configuration.storage.sqliteSynchronousFull = false
        default: throw ValidationError("VIGIL_SQLITE_SYNCHRONOUS must be full or normal")
        }
        return configuration
    }
}
