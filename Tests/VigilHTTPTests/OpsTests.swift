import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@testable import VigilHTTP

@Suite struct OpsTests {
    @Test func healthReadinessAndRequestIDs() async throws {
        try await TestApp.run { client in
            let health = try await client.request(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.headers[.xRequestID]?.count == 36)
            // Readiness gives the database 2 s; on a loaded test host one probe may miss that, as a
            // load balancer's would, so the node must be ready by the third probe.
            var ready = try await client.request(.get, "/readyz")
            for _ in 0..<2 where ready.status != .ok {
                #expect(ready.status == .serviceUnavailable)
                ready = try await client.request(.get, "/readyz")
            }
            #expect(ready.status == .ok)
            let echoed = try await client.request(.get, "/healthz", headers: [.xRequestID: "trace-abc.123"])
            #expect(echoed.headers[.xRequestID] == "trace-abc.123")
            let unsafe = try await client.request(.get, "/healthz", headers: [.xRequestID: "bad id\u{7f}"])
            #expect(unsafe.headers[.xRequestID] != "bad id\u{7f}")
            try await client.request(.get, "/no/such/route").expectProblem(.notFound, code: "not_found")
            try await client.request(.delete, "/healthz").expectProblem(.notFound, code: "not_found")
        }
    }

    @Test func metricsCountRequestsAndIngest() async throws {
        try await TestApp.run { client in
            let token = try await client.adminToken()
            _ = try await client.ingest(token, #"{"type":"m"}"#)
            _ = try await client.request(.post, "/api/v1/events/batch", token: token, json: #"[{"type":"m"},{"type":"m"}]"#)
            // Not for strangers or users; admins, analysts and metrics:read keys.
            try await client.request(.get, "/metrics").expectProblem(.unauthorized, code: "unauthenticated")
            let user = try await client.makeUser("metrics-user")
            try await client.request(.get, "/metrics", token: user).expectProblem(.forbidden, code: "forbidden")
            let created = try await client.request(.post, "/api/v1/api-keys", token: token, json: #"{"name":"prometheus","scopes":["metrics:read"]}"#)
            let key = try #require(try created.object()["secret"] as? String)
            #expect(try await client.request(.get, "/metrics", token: key).status == .ok)
            #expect(try await client.request(.get, "/api/v1/events", token: key).status == .forbidden)
            let metrics = try await client.request(.get, "/metrics", token: token)
            #expect(metrics.status == .ok)
            let text = metrics.text
            #expect(text.contains(#"vigil_http_requests_total{method="POST",route="/api/v1/events",status="201"} 1"#), "\(text)")
            // Three ingested events plus the audit events: the admin's login, the user's
            // registration and login, the refused /metrics, the key's creation and refused read.
            #expect(text.contains("vigil_events_ingested_total 9"), "\(text)")
            #expect(text.contains("vigil_group_commit_events_count"))
            #expect(text.contains("vigil_http_request_duration_seconds_bucket"))
            // Every exported metric is in the catalogue and carries its HELP text.
            let typed = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) }
            #expect(!typed.isEmpty)
            for name in typed {
                #expect(MetricsCatalog.help[name] != nil, "\(name) is not in MetricsCatalog")
                #expect(text.contains("# HELP \(name) "), "\(name) has no HELP")
            }
        }
    }

    /// The compiled-in document is the JSON file's text (run scripts/embed-openapi.sh after editing it).
    @Test func embeddedOpenAPIDocumentIsTheFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/VigilHTTP/Resources/openapi.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(OpenAPIDocument.embedded == text.trimmingCharacters(in: .newlines), "run scripts/embed-openapi.sh")
    }

    /// Every route the router serves is in the OpenAPI document and vice versa.
    @Test func openAPIDocumentMatchesRoutes() async throws {
        let app = try await buildApplication(configuration: TestApp.configuration())
        let document = try await app.test(.router) { client in
            let response = try await client.request(.get, "/openapi.json")
            #expect(response.status == .ok)
            return response.text
        }
        let served = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        #expect(served["openapi"] as? String == "3.1.0")
        let paths = try #require(served["paths"] as? [String: [String: Any]])
        var documented: Set<String> = []
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let configuration = TestApp.configuration()
        let routes = try await TestRouter.routes(configuration)
        #expect(Set(routes) == documented, "undocumented: \(Set(routes).subtracting(documented)); stale: \(documented.subtracting(routes))")
    }
}

@Suite struct ReadinessTests {
    struct DatabaseDown: Error {}

    @Test func readinessFailsWhenTheDatabaseDoesNotAnswer() async throws {
        let router = Router(context: VigilRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        OpsController(registry: PrometheusCollectorRegistry(), ping: { throw DatabaseDown() }, openAPIDocument: OpenAPIDocument.bytes)
            .addRoutes(to: router, authenticated: router.group())
        try await Application(router: router).test(.router) { client in
            let ready = try await client.request(.get, "/readyz")
            try ready.expectProblem(.serviceUnavailable, code: "unavailable")
            #expect(ready.headers[.retryAfter] == "5")
            #expect(try await client.request(.get, "/healthz").status == .ok, "liveness does not depend on the database")
        }
    }
}
