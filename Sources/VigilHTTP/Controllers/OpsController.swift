import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus
import VigilCore

/// Operational endpoints: liveness, readiness, Prometheus metrics, the OpenAPI document.
struct OpsController: Sendable {
    let registry: PrometheusCollectorRegistry
    /// Succeeds when the database answers.
    let ping: @Sendable () async throws -> Void
    let openAPIDocument: ByteBuffer

    /// `authenticated` carries `AuthMiddleware`: `/metrics` needs an admin or analyst, or an API
    /// key with `metrics:read`.
    func addRoutes(to router: Router<VigilRequestContext>, authenticated: RouterGroup<VigilRequestContext>) {
        router.get("healthz") { _, _ in Response.json("{\"status\":\"ok\"}") }
        router.get("readyz", use: self.ready)
        authenticated.get("metrics") { _, context in
            guard try context.requirePrincipal().canReadMetrics else {
                throw VigilError.forbidden("Reading metrics needs an admin, an analyst or an API key with metrics:read.")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: self.registry.emitToBuffer()))
            )
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: self.openAPIDocument))
        }
    }

    @Sendable func ready(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let ping = self.ping
        let ok = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await ping()) != nil }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        guard ok else { throw VigilError.unavailable(retryAfter: 5) }
        return .json("{\"status\":\"ready\"}")
    }
}
