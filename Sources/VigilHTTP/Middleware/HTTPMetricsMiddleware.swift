import Hummingbird
import Metrics
import VigilCore

/// Counts requests and their latency (to a streamed body's last byte) by method, route pattern and status. Routes are the
/// matched pattern (`/api/v1/events/{id}`), never the raw path, so label cardinality stays
/// bounded. (Named apart from Hummingbird's `MetricsMiddleware`, whose labels are raw paths.)
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let status = String(response.status.code)
        Counter(label: "vigil_http_requests_total", dimensions: [("method", method), ("route", route), ("status", status)], factory: self.factory)
            .increment()
        let timer = Metrics.Timer(
            label: "vigil_http_request_duration_seconds",
            dimensions: [("method", method), ("route", route)],
            factory: self.factory
        )
        // A body of known length is already in memory: the time is taken now. A streamed one
        // (exports) is timed to its last byte, not to its first; only it pays for the wrapper,
        // so the ingest path keeps writing its buffer directly.
        guard response.body.contentLength == nil else {
            timer.recordInterval(since: start)
            return response
        }
        let body = response.body
        response.body = ResponseBody { writer in
            defer { timer.recordInterval(since: start) }
            try await body.write(writer)
        }
        return response
    }
}
