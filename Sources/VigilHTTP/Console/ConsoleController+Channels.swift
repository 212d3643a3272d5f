import Foundation
import Hummingbird
import VigilCore

extension ConsoleController {
    @Sendable func channelsPage(_ request: Request, context: VigilRequestContext) async throws -> Response {
        try await self.channelsPage(request, context: context, extra: [:])
    }

    func channelsPage(_ request: Request, context: VigilRequestContext, extra: [String: Any]) async throws -> Response {
        _ = try context.signedIn()
        var values = extra
        values["items"] = ConsoleValues.items(try await InProcessAPI.call(self.api.channels.list, from: request, context: context))
        values["draft"] = #"{"name": "", "kind": "webhook", "config": {"url": "https://hooks.example.com/vigil"}, "min_severity": "high"}"#
        return self.renderer.page("channels", title: "Channels", section: "channels", context: context, values: values)
    }

    /// `POST /admin/channels`: `POST /api/v1/channels`; a signing secret Vigil generated is shown once.
    @Sendable func createChannel(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try context.consoleState()
        _ = try context.signedIn()
        let body = try Self.definition(form.field("definition"))
        let created = try await InProcessAPI.call(self.api.channels.create, .post, body: body, from: request, context: context)
        var extra: [String: Any] = [:]
        if case .object(let channel)? = created, case .object(let config)? = channel["config"], case .string(let secret)? = config["secret"],
            !secret.isEmpty
        {
            extra["created_secret"] = secret
        }
        return try await self.channelsPage(request, context: context, extra: extra)
    }

    /// `POST /admin/channels/{id}/test`: `POST /api/v1/channels/{id}/test`, with how the receiver answered.
    @Sendable func testChannel(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let id = try context.idParameter()
        let result = try await InProcessAPI.call(self.api.channels.test, .post, id: id, from: request, context: context)
        let channel = try await InProcessAPI.call(self.api.channels.show, id: id, from: request, context: context)
        var tested: [String: Any] = if case .object(let fields)? = result { ConsoleValues.object(fields) } else { [:] }
        if case .object(let fields)? = channel, case .string(let name)? = fields["name"] { tested["name"] = name }
        return try await self.channelsPage(request, context: context, extra: ["tested": tested])
    }

    /// `GET /admin/deliveries`: `GET /api/v1/deliveries` with its filters, keyset-paged.
    @Sendable func deliveriesPage(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let query = try request.queryParameters().filter { !$0.1.isEmpty }
        let page = try await InProcessAPI.call(self.api.deliveries.list, query: query, from: request, context: context)
        let items = ConsoleValues.items(page).map { delivery in
            var delivery = delivery
            delivery["can_retry"] = delivery["status"] as? String != "delivering"
            return delivery
        }
        var values: [String: Any] = ["items": items]
        if case .object(let fields)? = page, case .string(let next)? = fields["next_cursor"] {
            values["next_href"] = Self.link("/admin/deliveries", query.filter { $0.0 != "cursor" } + [("cursor", next)])
        }
        let status = query.first { $0.0 == "status" }?.1 ?? ""
        values["status_options"] = ConsoleValues.options(["pending", "delivering", "delivered", "dead"], current: [status])
        return self.renderer.page("deliveries", title: "Deliveries", section: "deliveries", context: context, values: values)
    }

    /// `POST /admin/deliveries/{id}/retry`: `POST /api/v1/deliveries/{id}/retry`.
    @Sendable func retryDelivery(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        _ = try await InProcessAPI.call(self.api.deliveries.retry, .post, id: try context.idParameter(), from: request, context: context)
        return Self.redirect("/admin/deliveries")
    }
}
