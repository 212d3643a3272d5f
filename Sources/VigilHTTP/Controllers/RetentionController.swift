import Foundation
import Hummingbird
import VigilCore

/// Retention: the policy in force and the legal holds that keep events from it. Admins and
/// analysts read; admins place and release holds, each recorded in the audit trail.
struct RetentionController: Sendable {
    let store: any RetentionStore
    let policy: RetentionPolicy
    let audit: AuditTrail

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("retention", use: self.show)
        group.post("retention/holds", use: self.createHold)
        group.delete("retention/holds/{id}", use: self.releaseHold)
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        let holds = try await self.store.retentionHolds()
        var writer = JSONWriter(capacity: 512)
        writer.object { object in
            object.rawField("default_days", self.policy.defaultDays.map(String.init) ?? "null")
            var rules = JSONWriter(capacity: 128)
            rules.raw("[")
            for (index, rule) in self.policy.rules.enumerated() {
                if index > 0 { rules.raw(",") }
                rules.object { item in
                    item.field("selector", rule.selector.description)
                    item.field("days", Int64(rule.days))
                }
            }
            rules.raw("]")
            object.rawField("rules", rules.output)
            object.rawField("holds", "[" + holds.map(\.json).joined(separator: ",") + "]")
        }
        return .json(writer.output)
    }

    @Sendable func createHold(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let admin = try context.require(.admin)
        _ = try RequestBody.format(of: request)
        let value = try RequestBody.decodeJSON(try await RequestBody.collect(request, limit: 64 * 1024))
        let hold = try RetentionHold.validate(value, createdBy: admin.name, now: .now()).mapError { VigilError.validation($0.errors) }.get()
        try await self.store.insertRetentionHold(hold)
        try await self.audit.record(
            .retentionHoldCreated,
            severity: .medium,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "retention_hold",
            entityID: hold.id.lowercased,
            details: ["hold": (try? JSONParser.parse(Array(hold.json.utf8))) ?? .null]
        )
        return .json(hold.json, status: .created)
    }

    @Sendable func releaseHold(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let id = try context.idParameter()
        guard let hold = try await self.store.deleteRetentionHold(id: id) else { throw VigilError.notFound("No retention hold with this id.") }
        try await self.audit.record(
            .retentionHoldReleased,
            severity: .medium,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "retention_hold",
            entityID: hold.id.lowercased,
            details: ["hold": (try? JSONParser.parse(Array(hold.json.utf8))) ?? .null]
        )
        return Response(status: .noContent)
    }
}
