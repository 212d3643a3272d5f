import Foundation
import Hummingbird
import VigilCore

extension ConsoleController {
    func addDetectionRoutes(to pages: RouterGroup<VigilRequestContext>) {
        pages.get("admin/rules", use: self.rulesPage)
        pages.post("admin/rules", use: self.createRule)
        pages.get("admin/rules/{id}", use: self.rulePage)
        pages.post("admin/rules/{id}", use: self.toggleRule)
        pages.post("admin/rules/{id}/backtest", use: self.backtestRule)
        pages.get("admin/channels", use: self.channelsPage)
        pages.post("admin/channels", use: self.createChannel)
        pages.post("admin/channels/{id}/test", use: self.testChannel)
        pages.get("admin/deliveries", use: self.deliveriesPage)
        pages.post("admin/deliveries/{id}/retry", use: self.retryDelivery)
    }

    /// A JSON definition typed into a form, parsed as the API parses a body.
    static func definition(_ text: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(Array(text.utf8))
        } catch {
            throw VigilError.validation([FieldError(field: "definition", message: "is not valid JSON: \(error.message)")])
        }
    }

    @Sendable func rulesPage(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let items = ConsoleValues.items(try await InProcessAPI.call(self.api.rules.list, from: request, context: context))
        let draft =
            #"{"name": "", "severity": "high", "match": {"types": ["auth.login.failed"]}, "threshold": {"count": 10, "window_seconds": 300, "group_by": ["ip"]}}"#
        return self.renderer.page("rules", title: "Rules", section: "rules", context: context, values: ["items": items, "draft": draft])
    }

    /// `POST /admin/rules`: `POST /api/v1/rules` with the typed definition.
    @Sendable func createRule(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try context.consoleState()
        _ = try context.signedIn()
        let body = try Self.definition(form.field("definition"))
        guard case .object(let rule)? = try await InProcessAPI.call(self.api.rules.create, .post, body: body, from: request, context: context),
            case .string(let id)? = rule["id"]
        else { throw VigilError.unavailable(retryAfter: 1) }
        return Self.redirect("/admin/rules/\(id)")
    }

    @Sendable func rulePage(_ request: Request, context: VigilRequestContext) async throws -> Response {
        try await self.rulePage(request, context: context, backtest: nil, window: [:])
    }

    func rulePage(_ request: Request, context: VigilRequestContext, backtest: JSONValue?, window: [String: String]) async throws -> Response {
        _ = try context.signedIn()
        guard
            case .object(let rule)? = try await InProcessAPI.call(self.api.rules.show, id: try context.idParameter(), from: request, context: context)
        else { throw VigilError.notFound("No rule with this id.") }
        let enabled = rule["enabled"] == .bool(true)
        var values: [String: Any] = ["r": ConsoleValues.object(rule), "definition_json": ConsoleValues.pretty(.object(rule)), "b": window]
        values["toggle_to"] = enabled ? "false" : "true"
        values["toggle_label"] = enabled ? "Disable rule" : "Enable rule"
        if case .object(let result)? = backtest {
            var shown = ConsoleValues.object(result)
            if case .array(let alerts)? = result["alerts"] { shown["alert_count"] = alerts.count }
            values["backtest"] = shown
        }
        let name = if case .string(let text)? = rule["name"] { text } else { "Rule" }
        return self.renderer.page("rule", title: name, section: "rules", context: context, values: values)
    }

    /// `POST /admin/rules/{id}`: `PATCH /api/v1/rules/{id}` with `enabled`.
    @Sendable func toggleRule(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try context.consoleState()
        _ = try context.signedIn()
        let id = try context.idParameter()
        let body: JSONValue = .object(["enabled": .bool(form.field("enabled") == "true")])
        _ = try await InProcessAPI.call(self.api.rules.update, .patch, body: body, id: id, from: request, context: context)
        return Self.redirect("/admin/rules/\(id.lowercased)")
    }

    /// `POST /admin/rules/{id}/backtest`: `POST /api/v1/rules/{id}/test`, shown as a table.
    @Sendable func backtestRule(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try context.consoleState()
        _ = try context.signedIn()
        var body: [String: JSONValue] = [:]
        var window: [String: String] = [:]
        for name in ["from", "to"] where !form.field(name).isEmpty {
            body[name] = .string(form.field(name))
            window[name] = form.field(name)
        }
        let result = try await InProcessAPI.call(
            self.api.rules.backtest,
            .post,
            body: .object(body),
            id: try context.idParameter(),
            from: request,
            context: context
        )
        return try await self.rulePage(request, context: context, backtest: result, window: window)
    }
}
