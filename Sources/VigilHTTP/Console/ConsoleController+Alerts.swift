import Foundation
import Hummingbird
import VigilCore

extension ConsoleController {
    func addAlertRoutes(to pages: RouterGroup<VigilRequestContext>) {
        pages.get("alerts", use: self.alertQueue)
        pages.get("alerts/rows", use: self.alertRows)
        pages.get("alerts/{id}", use: self.alertPage)
        pages.post("alerts/{id}", use: self.triage)
    }

    /// The queue's query: the page's own (fields left empty in the form left out), or open and
    /// acknowledged alerts, most severe first.
    static func queueQuery(_ request: Request) throws -> [(String, String)] {
        let given = try request.queryParameters().filter { !$0.1.isEmpty }
        return given.isEmpty ? [("status", "open"), ("status", "acknowledged"), ("sort", "severity")] : given
    }

    /// `GET /alerts`: `GET /api/v1/alerts` with the page's filters, as a table that updates itself.
    @Sendable func alertQueue(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let query = try Self.queueQuery(request)
        let page = try await InProcessAPI.call(self.api.alerts.list, query: query, from: request, context: context)
        var values: [String: Any] = ["items": ConsoleValues.items(page)]
        let withoutCursor = query.filter { $0.0 != "cursor" }
        values["live_query"] = "?" + QueryString.encode(query)
        if case .object(let fields)? = page, case .string(let next)? = fields["next_cursor"] {
            values["next_href"] = Self.link("/alerts", withoutCursor + [("cursor", next)])
        }
        if query.contains(where: { $0.0 == "cursor" }) { values["first_href"] = Self.link("/alerts", withoutCursor) }
        let chosen = { (name: String) in query.filter { $0.0 == name }.flatMap { $0.1.split(separator: ",").map(String.init) } }
        values["statuses"] = ConsoleValues.options(AlertStatus.allCases.map(\.rawValue), current: chosen("status"))
        values["severities"] = ConsoleValues.options(Severity.allCases.map(\.rawValue), current: chosen("severity"))
        values["min_severities"] = ConsoleValues.options(Severity.allCases.map(\.rawValue), current: chosen("min_severity"))
        values["f"] = Dictionary(query.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        values["sort_severity"] = chosen("sort").first != "created"
        values["order_asc"] = chosen("order").first == "asc"
        let asked = try request.queryParameters()
        values["filtered"] = asked.contains { $0.0 != "cursor" && !$0.1.isEmpty }
        return self.renderer.page("alerts", title: "Alert queue", section: "alerts", context: context, values: values)
    }

    /// `GET /alerts/rows`: the queue's rows alone, for the live update.
    @Sendable func alertRows(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let page = try await InProcessAPI.call(self.api.alerts.list, query: try Self.queueQuery(request), from: request, context: context)
        return self.renderer.fragment("alert-rows", values: ["items": ConsoleValues.items(page)])
    }

    /// `GET /alerts/{id}`: the alert, its evidence (each event read as the person could read it)
    /// and its history; admins get the triage buttons the lifecycle allows from its status.
    @Sendable func alertPage(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let principal = try context.signedIn()
        let id = try context.idParameter()
        guard case .object(let fields)? = try await InProcessAPI.call(self.api.alerts.show, id: id, from: request, context: context) else {
            throw VigilError.notFound("No alert with this id.")
        }
        var values: [String: Any] = ["a": ConsoleValues.object(fields)]
        values["evidence"] = try await self.evidence(fields["evidence"], request: request, context: context)
        if case .array(let history)? = fields["history"] {
            values["history"] = history.reversed().compactMap { if case .object(let entry) = $0 { ConsoleValues.object(entry) } else { nil } }
        }
        if principal.role == .admin, case .string(let text)? = fields["status"], let status = AlertStatus(rawValue: text) {
            values["can_triage"] = true
            values["actions"] = status.allowedTransitions.map { ["status": $0.rawValue, "label": Self.actionLabel($0)] }
        }
        let title = if case .string(let text)? = fields["title"] { text } else { "Alert" }
        return self.renderer.page("alert", title: title, section: "alerts", context: context, values: values)
    }

    static func actionLabel(_ status: AlertStatus) -> String {
        switch status {
        case .open: "Reopen"
        case .acknowledged: "Acknowledge"
        case .resolved: "Resolve"
        case .dismissed: "Dismiss"
        }
    }

    /// The evidence rows with each event's type, actor, address and description (an event
    /// since deleted by retention keeps the alert's own summary).
    private func evidence(_ value: JSONValue?, request: Request, context: VigilRequestContext) async throws -> [[String: Any]] {
        guard case .array(let items)? = value else { return [] }
        var rows: [[String: Any]] = []
        for case .object(let item) in items {
            var row = ConsoleValues.object(item)
            row["description"] = row["summary"]
            if case .string(let text)? = item["event_id"], let eventID = UUID(canonical: text) {
                do {
                    if case .object(let event)? = try await InProcessAPI.call(self.api.events.show, id: eventID, from: request, context: context) {
                        row.merge(ConsoleValues.object(event).filter { ["type", "actor", "ip", "description"].contains($0.key) }) { _, new in new }
                    }
                } catch VigilError.notFound {}
            }
            rows.append(row)
        }
        return rows
    }

    /// `POST /alerts/{id}`: `PATCH /api/v1/alerts/{id}` with the button's status (or the
    /// assignee) and the note, then back to the alert.
    @Sendable func triage(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let form = try context.consoleState()
        let id = try context.idParameter()
        var body: [String: JSONValue] = [:]
        if form.field("assign") == "1" {
            let assignee = form.field("assignee").trimmingCharacters(in: .whitespaces)
            body["assignee"] = assignee.isEmpty ? .null : .string(assignee)
        } else if !form.field("status").isEmpty {
            body["status"] = .string(form.field("status"))
        }
        if !form.field("note").isEmpty { body["note"] = .string(form.field("note")) }
        _ = try await InProcessAPI.call(self.api.alerts.update, .patch, body: .object(body), id: id, from: request, context: context)
        return Self.redirect("/alerts/\(id.lowercased)")
    }
}
