import Hummingbird
import VigilCore

extension AuditTrail {
    /// Records `access.denied` for a refused request (every 403, and every 401 where a
    /// credential was presented but rejected).
    func recordDenial(_ request: Request, context: VigilRequestContext, status: Int, reason: String) async throws {
        try await self.record(
            .accessDenied,
            severity: .medium,
            outcome: .failure,
            context: context.auditContext(request),
            // The description names the route pattern, never the raw path: the path is the
            // client's text, and only a bounded prefix of it is kept, in details.
            description: "\(request.method.rawValue) \(context.endpointPath ?? "(no route)") denied (\(status))",
            details: [
                "status": .int(Int64(status)), "reason": .string(reason),
                "path": .string(request.uri.path.truncated(toUTF8Bytes: AuditTrail.maxRequestTextBytes)),
            ]
        )
    }
}
