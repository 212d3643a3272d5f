import Foundation
import Logging
import PostgresNIO
import VigilPostgres

/// Throwaway databases on the PostgreSQL server named by `VIGIL_TEST_POSTGRES_URL` (an admin
/// URL, e.g. the one `scripts/pg-cluster.sh start` prints). Each test gets its own database, so
/// suites run in parallel without seeing each other's rows, advisory locks included.
public enum ScratchPostgres {
    public static let environmentVariable = "VIGIL_TEST_POSTGRES_URL"

    /// The admin URL, or nil when PostgreSQL tests are not configured.
    public static var adminURL: String? {
        guard let value = ProcessInfo.processInfo.environment[environmentVariable], !value.isEmpty else { return nil }
        return value
    }

    /// Whether PostgreSQL tests run; prints once why they do not.
    public static let isConfigured: Bool = {
        if adminURL == nil {
            print("◇ PostgreSQL suites skipped: set \(environmentVariable) (as .ci/run does) to run them.")
            return false
        }
        return true
    }()

    /// Creates an empty database, runs `body` with its URL, then drops it (also on failure).
    public static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        guard let adminURL, let admin = try PostgresLocation(url: adminURL) else {
            throw ScratchPostgresError("\(environmentVariable) is not set to a postgres:// URL")
        }
        let name = "vigil_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await self.administer(admin, "CREATE DATABASE \(name)")
        let result = await Result { () async throws -> T in
            try await body(urlString(admin.with(database: name)))
        }
        try await self.administer(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        return try result.get()
    }

    private static func urlString(_ location: PostgresLocation) -> String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = location.username
        components.password = location.password
        components.host = location.host
        components.port = location.port
        components.path = "/" + location.database
        components.queryItems = [URLQueryItem(name: "sslmode", value: location.sslMode.rawValue)]
        return components.string!
    }

    /// Runs one statement (built from constants and generated names only) on the admin database.
    private static func administer(_ location: PostgresLocation, _ sql: String) async throws {
        let client = PostgresClient(configuration: location.clientConfiguration(poolSize: 1, timeout: .seconds(60)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}

struct ScratchPostgresError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Result where Failure == any Error {
    fileprivate init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
