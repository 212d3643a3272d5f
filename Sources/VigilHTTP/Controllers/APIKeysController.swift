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
        var errors: [FieldError] = []
        if !name.isEmpty, !ASCIIName.isValid(name, lengths: 1...128, extra: "_.:-") {
            errors.append(FieldError(field: "name", message: "must be 1-128 characters of A-Z a-z 0-9 _ . : -"))
        }
        var scopes: Set<APIKeyScope> = []
        switch body.fields["scopes"] {
        case .array(let items)? where !items.isEmpty:
            for item in items {
                if case .string(let text) = item, let scope = APIKeyScope(rawValue: text) {
                    scopes.insert(scope)
                } else {
                    errors.append(FieldError(field: "scopes", message: "each scope must be one of \(Self.scopeList)"))
                    break
                }
            }
        default:
            errors.append(FieldError(field: "scopes", message: "is required: a non-empty array of \(Self.scopeList)"))
        }
        var expiresAt: Timestamp?
        if let text = body.string("expires_at") {
            if let time = Timestamp(rfc3339: text), time > .now() {
                expiresAt = time
            } else {
                errors.append(FieldError(field: "expires_at", message: "must be an RFC 3339 date-time in the future"))
            }
        }
        try body.throwIfInvalid(errors)
        let secret = APIKeyAuthenticator.newSecret()
        let now = Timestamp.now()
        let key = APIKey(
            id: UUID.v7(at: now),
            name: name,
            prefix: secret.prefix,
            keyHash: secret.hash,
            scopes: scopes,
            createdBy: admin.name,
            createdAt: now,
            expiresAt: expiresAt
        )
        try await self.apiKeys.createAPIKey(key)
        try await self.audit.record(
            .apiKeyCreated,
            severity: .medium,
            outcome: .success,
            context: context.auditContext(request),
            entityType: "api_key",
            entityID: key.id.lowercased,
            details: ["name": .string(name), "scopes": .array(scopes.map(\.rawValue).sorted().map(JSONValue.string))]
        )
        var writer = JSONWriter()
        Self.write(key, into: &writer, secret: secret.secret)
        return .json(writer.output, status: .created, headers: [.cacheControl: "no-store"])
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        var writer = JSONWriter()
        writer.raw("{\"items\":[")
        for (index, key) in try await self.apiKeys.apiKeys().enumerated() {
            if index > 0 { writer.raw(",") }
            Self.write(key, into: &writer, secret: nil)
        }
        writer.raw("]}")
        return .json(writer.output)
    }

    @Sendable func revoke(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.admin)
        let id = try context.idParameter()
        guard let key = try await self.apiKeys.revokeAPIKey(id: id, now: .now()) else {
            throw VigilError.notFound("No active API key with this id.")
        }
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

    static let scopeList = APIKeyScope.allCases.map(\.rawValue).joined(separator: ", ")
}
