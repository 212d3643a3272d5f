import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// `/api/v1/api-keys` (admin): keys for machines, each with exact scopes. The secret is shown
/// once, at creation; only its hash is stored.
struct APIKeysController: Sendable {
    let apiKeys: any APIKeyStore
    /// Forgets cached keys when one is revoked.
    let apiKeyAuthenticator: APIKeyAuthenticator
    let audit: AuditTrail

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.post("api-keys", use: self.create)
        group.get("api-keys", use: self.list)
        group.delete("api-keys/{id}", use: self.revoke)
    }

    @Sendable func create(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let admin = try context.require(.admin)
        var body = try await RequestBody.object(request, allowed: ["name", "scopes", "expires_at"])
        let name = body.required("name", maxLength: 128)
        var scopes: [String]?
        if case .array(let items)? = body.fields["scopes"] {
            // A non-string item is no scope name: it fails validation like an unknown one.
            scopes = items.map { if case .string(let text) = $0 { text } else { "" } }
        }
        let expiresAt = body.string("expires_at")
        // Every field's problem in one answer (a missing name is already named by `required`).
        let problems = APIKeyAdministration.problems(name: name, scopes: scopes, expiresAt: expiresAt, now: .now())
        try body.throwIfInvalid(name.isEmpty ? problems.filter { $0.field != "name" } : problems)
        let issued = try await APIKeyAdministration(keys: self.apiKeys).create(
            name: name,
            scopes: scopes,
            expiresAt: expiresAt,
            createdBy: admin.name
        )
        let key = issued.key
        try await self.audit.record(
            .apiKeyCreated,
            severity: .medium,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "api_key",
            entityID: key.id.lowercased,
            details: ["name": .string(key.name), "scopes": .array(key.scopes.map(\.rawValue).sorted().map(JSONValue.string))]
        )
        var writer = JSONWriter()
        Self.write(key, into: &writer, secret: issued.secret)
        return .json(writer.output, status: .created, headers: [.cacheControl: "no-store"])
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        var writer = JSONWriter()
        writer.raw("{\"items\":[")
        for (index, key) in try await APIKeyAdministration(keys: self.apiKeys).list().enumerated() {
            if index > 0 { writer.raw(",") }
            Self.write(key, into: &writer, secret: nil)
        }
        writer.raw("]}")
        return .json(writer.output)
    }

    @Sendable func revoke(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let id = try context.idParameter()
        let key = try await APIKeyAdministration(keys: self.apiKeys).revoke(id: id)
        self.apiKeyAuthenticator.evictAll()
        try await self.audit.record(
            .apiKeyRevoked,
            severity: .medium,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "api_key",
            entityID: key.id.lowercased,
            details: ["name": .string(key.name)]
        )
        return Response(status: .noContent)
    }

    static func write(_ key: APIKey, into writer: inout JSONWriter, secret: String?) {
        writer.object { object in
            object.field("id", key.id.lowercased)
            object.field("name", key.name)
            object.field("prefix", key.prefix)
            object.rawField("scopes", "[" + key.scopes.map(\.rawValue).sorted().map { "\"\($0)\"" }.joined(separator: ",") + "]")
            object.field("created_by", key.createdBy)
            object.field("created_at", key.createdAt.rfc3339)
            object.field("expires_at", key.expiresAt?.rfc3339)
            object.field("last_used_at", key.lastUsedAt?.rfc3339)
            object.field("revoked_at", key.revokedAt?.rfc3339)
            if let secret { object.field("secret", secret) }
        }
    }
}
