import Foundation
import Hummingbird
import VigilCore

extension ConsoleController {
    func addAdminRoutes(to pages: RouterGroup<VigilRequestContext>) {
        pages.get("admin/users", use: self.usersPage)
        pages.post("admin/users", use: self.createUser)
        pages.post("admin/users/{id}", use: self.updateUser)
        pages.get("admin/api-keys", use: self.apiKeysPage)
        pages.post("admin/api-keys", use: self.createAPIKey)
        pages.post("admin/api-keys/{id}/revoke", use: self.revokeAPIKey)
        self.addDetectionRoutes(to: pages)
    }

    /// `GET /admin/users`: `GET /api/v1/users` with a role and state form per user.
    @Sendable func usersPage(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let items = ConsoleValues.items(try await InProcessAPI.call(self.api.users.list, from: request, context: context)).map { user in
            var user = user
            user["role_options"] = ConsoleValues.options(Role.allCases.map(\.rawValue), current: [user["role"] as? String ?? ""])
            return user
        }
        return self.renderer.page("users", title: "Users", section: "users", context: context, values: ["items": items])
    }

    /// `POST /admin/users`: `POST /api/v1/users`.
    @Sendable func createUser(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try context.consoleState()
        _ = try context.signedIn()
        let body: JSONValue = .object([
            "username": .string(form.field("username")), "password": .string(form.field("password")), "role": .string(form.field("role")),
        ])
        _ = try await InProcessAPI.call(self.api.users.create, .post, body: body, from: request, context: context)
        return Self.redirect("/admin/users")
    }

    /// `POST /admin/users/{id}`: `PATCH /api/v1/users/{id}` with the role and the disabled box.
    @Sendable func updateUser(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try context.consoleState()
        _ = try context.signedIn()
        let body: JSONValue = .object(["role": .string(form.field("role")), "disabled": .bool(form.field("disabled") == "true")])
        _ = try await InProcessAPI.call(self.api.users.update, .patch, body: body, id: try context.idParameter(), from: request, context: context)
        return Self.redirect("/admin/users")
    }

    /// `GET /admin/api-keys`: `GET /api/v1/api-keys`.
    @Sendable func apiKeysPage(_ request: Request, context: VigilRequestContext) async throws -> Response {
        try await self.apiKeysPage(request, context: context, created: nil)
    }

    func apiKeysPage(_ request: Request, context: VigilRequestContext, created: [String: Any]?) async throws -> Response {
        _ = try context.signedIn()
        let items = ConsoleValues.items(try await InProcessAPI.call(self.api.apiKeys.list, from: request, context: context)).map { key in
            var key = key
            key["scopes_text"] = (key["scopes"] as? [Any])?.compactMap { $0 as? String }.joined(separator: ", ") ?? ""
            return key
        }
        var values: [String: Any] = ["items": items]
        values["scope_options"] = APIKeyScope.allCases.map { ["value": $0.rawValue, "checked": $0 == .eventsWrite] }
        if let created { values["created"] = created }
        return self.renderer.page("api-keys", title: "API keys", section: "keys", context: context, values: values)
    }

    /// `POST /admin/api-keys`: `POST /api/v1/api-keys`; the answer shows the secret this once
    /// (it is not a redirect, so the secret is in no URL and no history entry).
    @Sendable func createAPIKey(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let form = try context.consoleState()
        _ = try context.signedIn()
        var body: [String: JSONValue] = ["name": .string(form.field("name")), "scopes": .array(form.fields("scopes").map(JSONValue.string))]
        if !form.field("expires_at").isEmpty { body["expires_at"] = .string(form.field("expires_at")) }
        guard
            case .object(let key)? = try await InProcessAPI.call(self.api.apiKeys.create, .post, body: .object(body), from: request, context: context)
        else {
            throw VigilError.unavailable(retryAfter: 1)
        }
        return try await self.apiKeysPage(request, context: context, created: ConsoleValues.object(key))
    }

    /// `POST /admin/api-keys/{id}/revoke`: `DELETE /api/v1/api-keys/{id}`.
    @Sendable func revokeAPIKey(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.signedIn()
        _ = try await InProcessAPI.call(self.api.apiKeys.revoke, .delete, id: try context.idParameter(), from: request, context: context)
        return Self.redirect("/admin/api-keys")
    }
}
