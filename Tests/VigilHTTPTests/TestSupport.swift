import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import VigilCore
import VigilTestSupport

@testable import VigilHTTP

/// Helpers shared by the HTTP suites: the real application on an in-memory SQLite database, or
/// on a scratch PostgreSQL database when `VIGIL_TEST_HTTP_ENGINE=postgres` (as `.ci/run` does in
/// its second pass), so the whole HTTP suite runs on both engines.
enum TestApp {
    static let adminPassword = "admin-password-1"
    static let jwtSecret = "test-secret-long-enough-for-hs256-hs384-and-hs512-keys-0123456789"

    static func configuration(_ adjust: (inout AppConfiguration) -> Void = { _ in }) -> AppConfiguration {
        var configuration = AppConfiguration(databaseURL: "sqlite::memory:", jwtSecret: jwtSecret, logLevel: .critical)
        configuration.adminPassword = adminPassword
        // Cost 4 keeps the suite fast; the production floor of 12 is enforced by the CLI.
        configuration.bcryptCost = 4
        // Suites register many users from one (absent) address and run receivers on loopback;
        // the tests of the defaults set these back.
        configuration.registration = .open
        configuration.registrationsPerHour = 100_000
        configuration.allowPrivateTargets = true
        // Every suite runs dozens of apps at once; only the ledger's own tests need a sealer
        // (the real binary in the end-to-end suites runs with it, as in production).
        configuration.ledger.enabled = false
        adjust(&configuration)
        return configuration
    }

    /// Builds the app and runs `body` against it in-process (`.live`: on a real port).
    static func run(
        _ configuration: AppConfiguration = TestApp.configuration(),
        setup: TestingSetup = .router,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        guard configuration.databaseURL == "sqlite::memory:", onPostgres else {
            let app = try await buildApplication(configuration: configuration)
            return try await app.test(setup, body)
        }
        try await ScratchPostgres.withDatabase { url in
            var configuration = configuration
            configuration.databaseURL = url
            // The whole suite runs at once against one cluster: a small pool per app keeps it
            // well below the cluster's connection limit even when a loaded machine makes most
            // of the 80 apps overlap (measured: 268 of 300 connections at 10 per app).
            configuration.storage.poolSize = 4
            let app = try await buildApplication(configuration: configuration)
            try await app.test(setup, body)
        }
    }

    /// Whether this run puts the HTTP suites on PostgreSQL.
    static let onPostgres: Bool = {
        guard ProcessInfo.processInfo.environment["VIGIL_TEST_HTTP_ENGINE"] == "postgres" else { return false }
        precondition(ScratchPostgres.isConfigured, "VIGIL_TEST_HTTP_ENGINE=postgres needs VIGIL_TEST_POSTGRES_URL")
        return true
    }()
}

extension TestClientProtocol {
    @discardableResult
    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String? = nil,
        json: String? = nil,
        contentType: String = "application/json",
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = contentType }
        return try await self.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Logs in and returns the access token (and the full body).
    func login(_ username: String, _ password: String) async throws -> (token: String, body: [String: Any]) {
        let response = try await self.request(.post, "/api/v1/auth/login", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        #expect(response.status == .ok, "login \(username): \(response.text)")
        let body = try response.object()
        return (try #require(body["access_token"] as? String), body)
    }

    func adminToken() async throws -> String {
        try await self.login("admin", TestApp.adminPassword).token
    }

    /// Registers `username` (role user), or creates it with `role` through the CLI path.
    func makeUser(_ username: String, password: String = "password-1234") async throws -> String {
        let response = try await self.request(.post, "/api/v1/auth/register", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        #expect(response.status == .created, "register \(username): \(response.text)")
        return try await self.login(username, password).token
    }

    /// Creates analyst `ann` (password `analyst-pass-1`) as the admin.
    func makeAnalyst(admin: String) async throws {
        let created = try await self.request(
            .post,
            "/api/v1/users",
            token: admin,
            json: #"{"username":"ann","password":"analyst-pass-1","role":"analyst"}"#
        )
        #expect(created.status == .created, "\(created.text)")
    }

    func ingest(_ token: String, _ json: String) async throws -> TestResponse {
        try await self.request(.post, "/api/v1/events", token: token, json: json)
    }
}

extension TestResponse {
    var text: String { String(buffer: self.body) }

    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(self.text.utf8)) as? [String: Any], "not a JSON object: \(self.text)")
    }

    /// Asserts an RFC 9457 problem with this status and code; returns the document.
    @discardableResult
    func expectProblem(_ status: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(self.status == status, "\(self.text)", sourceLocation: sourceLocation)
        #expect(self.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try self.object()
        #expect(problem["code"] as? String == code, "\(self.text)", sourceLocation: sourceLocation)
        #expect(problem["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect(problem["title"] is String && problem["detail"] is String && problem["type"] is String, sourceLocation: sourceLocation)
        return problem
    }

    /// The `items` of an event page, without Vigil's own audit events (source `vigil`).
    func ingestedItems() throws -> [[String: Any]] {
        #expect(self.status == .ok, "\(self.text)")
        let items = try #require(try self.object()["items"] as? [[String: Any]])
        return items.filter { $0["source"] as? String != "vigil" }
    }

    /// The `field` names of a validation problem's `errors`.
    func errorFields() throws -> [String] {
        (try self.object()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

/// The routes the real router serves, as `METHOD /path`.
enum TestRouter {
    static func routes(_ configuration: AppConfiguration) async throws -> [String] {
        let components = try await VigilComponents.build(configuration: configuration)
        let routes = components.router.routes.map { "\($0.method.rawValue) \($0.path.description)" }
        await components.close()
        return routes
    }
}
