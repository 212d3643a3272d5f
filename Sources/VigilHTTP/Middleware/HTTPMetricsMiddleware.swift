import Hummingbird
import Metrics
import VigilCore

/// Counts requests and their latency (to the body's last byte) by method, route pattern and status. Routes are the
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
        // The time runs to the body's last byte, so a streamed export is measured whole, not
        // only until its first byte.
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            do {
                try await body.write(writer)
                timer.recordInterval(since: start)
            } catch {
                timer.recordInterval(since: start)
                throw error
            }
        }
        return response
    }
}
