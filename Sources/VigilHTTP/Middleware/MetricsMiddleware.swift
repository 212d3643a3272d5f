import Hummingbird
import Logging
import Metrics

/// Counts requests and their latency by method, route pattern and status, and writes one access
/// log line per request. Routes are the matched pattern (`/api/v1/events/{id}`), never the raw
/// path, so label cardinality stays bounded.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let status = String(response.status.code)
        Counter(label: "vigil_http_requests_total", dimensions: [("method", method), ("route", route), ("status", status)], factory: self.factory)
            .increment()
        let elapsed = ContinuousClock.now - start
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        Metrics.Timer(label: "vigil_http_request_duration", dimensions: [("method", method), ("route", route)], factory: self.factory)
            .recordNanoseconds(nanoseconds)
        context.logger.debug(
            "request",
            metadata: [
                "method": .string(method), "path": .string(request.uri.path), "status": .string(status),
                "duration_ms": .stringConvertible(Double(nanoseconds) / 1_000_000),
            ]
        )
        return response
    }
}
