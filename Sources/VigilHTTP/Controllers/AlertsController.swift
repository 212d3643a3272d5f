import Foundation
import Hummingbird
import VigilCore

/// `/api/v1/alerts`: what detection found. Admins and analysts read; admins triage (`PATCH`),
/// and every change is both an alert history entry and an `alert.updated` event in the log.
struct AlertsController: Sendable {
    let alerts: any AlertStore
    /// Resolves assignees.
    let users: any UserStore
    /// Wakes the local deliverer when triage queued notifications.
    let notifications: WakeSignal
    let audit: AuditTrail
    static let bodyLimit = 16 * 1024

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("alerts", use: self.list)
        group.get("alerts/{id}", use: self.show)
        group.patch("alerts/{id}", use: self.update)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        let parameters = try request.queryParameters()
        let page = try await self.alerts.alerts(matching: try AlertQuery.parse(parameters).get())
        var writer = JSONWriter(capacity: 256 + page.items.count * 400)
        writer.raw("{\"items\":[" + page.items.map(\.json).joined(separator: ",") + "],\"next_cursor\":")
        writer.stringOrNull(page.nextCursor?.token)
        writer.raw("}")
        return .json(writer.output)
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin, .analyst)
        guard let detail = try await self.alerts.alert(id: try context.idParameter()) else {
            throw VigilError.notFound("No alert with this id.")
        }
        return .json(detail.json)
    }

    @Sendable func update(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let principal = try context.require(.admin)
        let id = try context.idParameter()
        _ = try RequestBody.format(of: request)
        let body = try RequestBody.decodeJSON(try await RequestBody.collect(request, limit: Self.bodyLimit))
        let update = try AlertUpdate.validate(body).get()
        if case .set(let name?) = update.assignee { try await self.checkAssignable(name) }
        guard let (before, after) = try await self.alerts.updateAlert(id: id, update, by: principal.name, at: .now()) else {
            throw VigilError.notFound("No alert with this id.")
        }
        self.notifications.notify()
        var details: [String: JSONValue] = ["before": before.jsonValue, "after": after.jsonValue]
        if let note = update.note { details["note"] = .string(note) }
        try await self.audit.record(
            .alertUpdated,
            severity: .low,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "alert",
            entityID: id.lowercased,
            description: "\(before.status.rawValue) → \(after.status.rawValue)",
            details: details
        )
        guard let detail = try await self.alerts.alert(id: id) else { throw VigilError.notFound("No alert with this id.") }
        return .json(detail.json)
    }

    /// Alerts are assigned to people who can see them: an enabled admin or analyst.
    private func checkAssignable(_ username: String) async throws {
        guard let user = try await self.users.user(username: username), !user.disabled, user.role != .user else {
            throw VigilError.validation([FieldError(field: "assignee", message: "must be the username of an enabled admin or analyst")])
        }
    }
}
