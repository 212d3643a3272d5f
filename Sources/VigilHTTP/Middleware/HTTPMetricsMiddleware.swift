import Hummingbird
import Metrics
import VigilCore

/// Counts requests and their latency by method, route pattern and status. Routes are the
/// matched pattern (`/api/v1/events/{id}`), never the raw path, so label cardinality stays
/// bounded. (Named apart from Hummingbird's `MetricsMiddleware`, whose labels are raw paths.)
struct HTTPMetricsMiddleware: RouterMiddleware {
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
        return response
    }
}
