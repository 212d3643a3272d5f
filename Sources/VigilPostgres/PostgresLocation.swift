import Foundation
import NIOSSL
import PostgresNIO

/// Where and how to reach PostgreSQL, parsed from
/// `postgres://user:password@host:port/database?sslmode=…&sslrootcert=/path/ca.pem`.
///
/// `sslmode` follows libpq: `disable` never uses TLS, `prefer` tries TLS and falls back to
/// plain text, `require` insists on TLS without verifying the certificate, `verify-full`
/// verifies it (against the system's CAs, or `sslrootcert`'s) and the host name. Unlike libpq,
/// the default is `verify-full`, except on a loopback host (`localhost`, `127.0.0.0/8`, `::1`),
/// where it is `prefer`: audit data must not cross a network in plain text or to an
/// unverified server unless the operator says so. The password is never part of `description`.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// PEM file of the CAs that `verify-full` trusts instead of the system's.
    public var sslRootCert: String?

    /// Nil if `url` is not a `postgres://` or `postgresql://` URL; throws `message` text for a
    /// PostgreSQL URL that is malformed.
    public init?(url: String) throws(PostgresLocationError) {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else { return nil }
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw PostgresLocationError("VIGIL_DATABASE_URL is not a valid postgres:// URL.")
        }
        guard let username = components.user, !username.isEmpty else {
            throw PostgresLocationError("VIGIL_DATABASE_URL must name a user: postgres://user:password@host:port/database.")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresLocationError("VIGIL_DATABASE_URL must name a database: postgres://user:password@host:port/database.")
        }
        var sslMode = Self.isLoopback(host) ? SSLMode.prefer : .verifyFull
        var sslRootCert: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw PostgresLocationError("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                sslMode = mode
            case "sslrootcert":
                guard let path = item.value, FileManager.default.isReadableFile(atPath: path) else {
                    throw PostgresLocationError("sslrootcert must name a readable PEM file.")
                }
                sslRootCert = path
            default:
                throw PostgresLocationError("Unknown VIGIL_DATABASE_URL parameter '\(item.name)'; only sslmode and sslrootcert are supported.")
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user?.removingPercentEncoding ?? username
        self.password = components.password?.removingPercentEncoding
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }

    public var description: String {
        "postgres://\(self.username)@\(self.host):\(self.port)/\(self.database)?sslmode=\(self.sslMode.rawValue)"
    }

    /// The same server with another database (tests create scratch databases this way).
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// A `PostgresClient` configuration for this location. `timeout` bounds connecting and, as
    /// the server's `statement_timeout`, every statement (migrations lift it for themselves).
    public func clientConfiguration(poolSize: Int, timeout: Duration) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: self.host,
            port: self.port,
            username: self.username,
            password: self.password,
            database: self.database,
            tls: self.tls
        )
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = timeout
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(15))
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        // jit off: Vigil's statements are short, and the planner's estimates for the stats
        // statement (CTEs of unknown size) cross the JIT threshold, where compiling took 1.8 s
        // of a query that runs in 2 ms.
        configuration.options.additionalStartupParameters = [
            ("application_name", "vigil"), ("statement_timeout", "\(milliseconds)"), ("jit", "off"),
        ]
        return configuration
    }

    private var tls: PostgresClient.Configuration.TLS {
        switch self.sslMode {
        case .disable:
            return .disable
        case .prefer, .require:
            // libpq's prefer/require encrypt without verifying the certificate.
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return self.sslMode == .prefer ? .prefer(tls) : .require(tls)
        case .verifyFull:
            var tls = TLSConfiguration.makeClientConfiguration()
            if let path = self.sslRootCert { tls.trustRoots = .file(path) }
            return .require(tls)
        }
    }
}

/// A malformed PostgreSQL URL; `message` is meant for the operator.
public struct PostgresLocationError: Error, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { self.message }
}
