import Hummingbird
import Logging
import Metrics
import VigilCore

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
        Metrics.Timer(label: "vigil_http_request_duration", dimensions: [("method", method), ("route", route)], factory: self.factory)
            .recordInterval(since: start)
        context.logger.debug(
            "request",
            metadata: [
                "method": .string(method), "path": .string(request.uri.path), "status": .string(status),
                "duration": .stringConvertible(ContinuousClock.now - start),
            ]
        )
        return response
    }
}
