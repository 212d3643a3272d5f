import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// `/api/v1/rules`: detection rules. Admins and analysts read them; admins change them, and
/// every change is recorded (`rule.created|updated|deleted`, with the definition before/after).
struct RulesController: Sendable {
    let rules: any RuleStore
    /// The log backtests replay.
    let log: any EventLogReader
    /// Alert groups per rule and minute before a storm is folded (`VIGIL_ALERT_STORM_LIMIT`).
    let stormLimit: Int
    let audit: AuditTrail
    static let bodyLimit = 64 * 1024

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("rules", use: self.list)
        group.post("rules", use: self.create)
        group.get("rules/{id}", use: self.show)
        group.patch("rules/{id}", use: self.update)
        group.delete("rules/{id}", use: self.delete)
        group.post("rules/test", use: self.backtest)
        group.post("rules/{id}/test", use: self.backtest)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        let rules = try await self.rules.rules()
        return .json("{\"items\":[" + rules.map(\.json).joined(separator: ",") + "]}")
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        return .json(try await self.existing(context).json)
    }

    @Sendable func create(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let rule = try Rule.validate(try await self.body(request), onto: nil, now: .now()).get()
        try await self.rules.createRule(rule)
        try await self.record(.ruleCreated, rule: rule, context: context, request: request, details: ["after": rule.definition])
        return .json(rule.json, status: .created)
    }

    @Sendable func update(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let body = try await self.body(request)
        let current = try await self.existing(context)
        let rule = try Rule.validate(body, onto: current, now: .now()).get()
        guard let before = try await self.rules.updateRule(rule) else { throw VigilError.notFound("No rule with this id.") }
        try await self.record(
            .ruleUpdated,
            rule: rule,
            context: context,
            request: request,
            details: ["before": before.definition, "after": rule.definition]
        )
        return .json(rule.json)
    }

    @Sendable func delete(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        guard let rule = try await self.rules.deleteRule(id: try context.idParameter()) else {
            throw VigilError.notFound("No rule with this id.")
        }
        try await self.record(.ruleDeleted, rule: rule, context: context, request: request, details: ["before": rule.definition])
        return Response(status: .noContent)
    }

    func body(_ request: Request) async throws -> JSONValue {
        _ = try RequestBody.format(of: request)
        return try RequestBody.decodeJSON(try await RequestBody.collect(request, limit: Self.bodyLimit))
    }

    func existing(_ context: VigilRequestContext) async throws -> Rule {
        guard let rule = try await self.rules.rule(id: try context.idParameter()) else { throw VigilError.notFound("No rule with this id.") }
        return rule
    }

    private func record(_ type: AuditEventType, rule: Rule, context: VigilRequestContext, request: Request, details: [String: JSONValue]) async throws
    {
        var details = details
        details["name"] = .string(rule.name)
        try await self.audit.record(
            type,
            severity: .medium,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "rule",
            entityID: rule.id.lowercased,
            details: details
        )
    }
}
