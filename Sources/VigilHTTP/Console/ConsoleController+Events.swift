import Foundation
import Hummingbird
import VigilCore

extension ConsoleController {
    func addEventRoutes(to pages: RouterGroup<VigilRequestContext>) {
        pages.get("events", use: self.eventSearch)
        pages.get("events/export", use: self.eventExport)
        pages.get("events/{id}", use: self.eventPage)
        pages.get("overview", use: self.overview)
    }

    /// The API's query for the search form's fields: empty fields left out, and the details box
    /// (`key=value` per line) as `details.key=value` parameters.
    static func eventQuery(_ request: Request) throws -> [(String, String)] {
        var query: [(String, String)] = []
        for (name, value) in try request.queryParameters() where !value.isEmpty {
            guard name == "details" else {
                query.append((name, value))
                continue
            }
            for line in value.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: "=", maxSplits: 1)
                let key = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard !key.isEmpty else { continue }
                query.append(("details.\(key)", parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""))
            }
        }
        return query
    }

    /// `GET /events`: `GET /api/v1/events` with the form's filters, keyset-paged.
    @Sendable func eventSearch(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let query = try Self.eventQuery(request)
        let page = try await InProcessAPI.call(self.api.events.list, query: query, from: request, context: context)
        let formQuery = try request.queryParameters().filter { !$0.1.isEmpty }
        let withoutCursor = formQuery.filter { $0.0 != "cursor" }
        var values: [String: Any] = ["items": ConsoleValues.items(page)]
        if case .object(let fields)? = page, case .string(let next)? = fields["next_cursor"] {
            values["next_href"] = Self.link("/events", withoutCursor + [("cursor", next)])
        }
        if formQuery.contains(where: { $0.0 == "cursor" }) { values["first_href"] = Self.link("/events", withoutCursor) }
        let exportable = withoutCursor.filter { !["order", "limit"].contains($0.0) }
        values["export_query"] = exportable.isEmpty ? "" : "&" + QueryString.encode(exportable)
        let chosen = { (name: String) in formQuery.filter { $0.0 == name }.map(\.1) }
        values["f"] = Dictionary(formQuery.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        values["severity_options"] = ConsoleValues.options(Severity.allCases.map(\.rawValue), current: chosen("severity"))
        values["min_severity_options"] = ConsoleValues.options(Severity.allCases.map(\.rawValue), current: chosen("min_severity"))
        values["outcome_options"] = ConsoleValues.options(["success", "failure", "unknown"], current: chosen("outcome"))
        values["order_asc"] = chosen("order").first == "asc"
        return self.renderer.page("events", title: "Events", section: "events", context: context, values: values)
    }

    /// `GET /events/export`: `GET /api/v1/events/export` itself (admins; audited; streamed).
    @Sendable func eventExport(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let forwarded = InProcessAPI.request(.get, query: try Self.eventQuery(request), body: nil, like: request)
        return try await self.api.events.export(forwarded, context: context)
    }

    /// `GET /events/{id}`: the event with its details (another user's event is not found, as in the API).
    @Sendable func eventPage(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let id = try context.idParameter()
        guard case .object(let fields)? = try await InProcessAPI.call(self.api.events.show, id: id, from: request, context: context) else {
            throw VigilError.notFound("No event with this id.")
        }
        let values: [String: Any] = [
            "e": ConsoleValues.object(fields),
            "details_json": ConsoleValues.pretty(fields["details"] ?? .object([:])),
        ]
        let title = if case .string(let type)? = fields["type"] { type } else { "Event" }
        return self.renderer.page("event", title: title, section: "events", context: context, values: values)
    }
}
