import Hummingbird
import VigilCore

extension AuditTrail {
    /// Records `access.denied` for a refused request (every 403, and every 401 where a
    /// credential was presented but rejected).
    func recordDenial(_ request: Request, context: VigilRequestContext, status: Int, reason: String) async {
        await self.record(
            "access.denied",
            severity: .medium,
            outcome: .failure,
            context: context.auditContext(request),
            description: "\(request.method.rawValue) \(request.uri.path) denied (\(status))",
            details: ["status": .int(Int64(status)), "reason": .string(reason), "path": .string(request.uri.path)]
        )
    }
}
