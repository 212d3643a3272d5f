import Hummingbird
import Logging

/// One debug-level log line per answered request (method, path, status, duration), with the
/// request id the context's logger carries.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        context.logger.debug(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path), "status": .string(String(response.status.code)),
                "duration": .stringConvertible(ContinuousClock.now - start),
            ]
        )
        return response
    }
}
