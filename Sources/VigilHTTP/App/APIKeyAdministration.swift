import Foundation
import VigilCore

/// API key management shared by the admin API and the CLI: validation, the secret, storage.
/// Auditing stays with the caller, which knows who asked.
public struct APIKeyAdministration: Sendable {
    let keys: any APIKeyStore

    public init(keys: any APIKeyStore) {
        self.keys = keys
    }

    /// A stored key and its secret, which exists only here: only its hash is kept.
    public struct Issued: Sendable {
        public let key: APIKey
        public let secret: String
    }

    /// Validates and stores a new key. `scopes` are scope names (nil: none given); `expiresAt`
    /// RFC 3339 text in the future or nil. Throws `validation` naming `name`, `scopes`,
    /// `expires_at`, or `conflict` when an active key has the name.
    public func create(name: String, scopes: [String]?, expiresAt: String?, createdBy: String) async throws -> Issued {
        let now = Timestamp.now()
        let problems = Self.problems(name: name, scopes: scopes, expiresAt: expiresAt, now: now)
        guard problems.isEmpty else { throw VigilError.validation(problems) }
        let parsed = (scopes ?? []).compactMap(APIKeyScope.init(rawValue:))
        let expiry = expiresAt.flatMap { Timestamp(rfc3339: $0) }
        let secret = APIKeyAuthenticator.newSecret()
        let key = APIKey(
            id: UUID.v7(at: now),
            name: name,
            prefix: secret.prefix,
            keyHash: secret.hash,
            scopes: Set(parsed),
            createdBy: createdBy,
            createdAt: now,
            expiresAt: expiry
        )
        try await self.keys.createAPIKey(key)
        return Issued(key: key, secret: secret.secret)
    }

    /// What is wrong with these values, each naming its field (empty when they may be stored).
    public static func problems(name: String, scopes: [String]?, expiresAt: String?, now: Timestamp) -> [FieldError] {
        var errors: [FieldError] = []
        if !ASCIIName.isValid(name, lengths: 1...128, extra: "_.:-") {
            errors.append(FieldError(field: "name", message: "must be 1-128 characters of A-Z a-z 0-9 _ . : -"))
        }
        let parsed = (scopes ?? []).map(APIKeyScope.init(rawValue:))
        if parsed.isEmpty {
            errors.append(FieldError(field: "scopes", message: "is required: a non-empty array of \(Self.scopeList)"))
        } else if parsed.contains(nil) {
            errors.append(FieldError(field: "scopes", message: "each scope must be one of \(Self.scopeList)"))
        }
        if let expiresAt, Timestamp(rfc3339: expiresAt).map { $0 <= now } ?? true {
            errors.append(FieldError(field: "expires_at", message: "must be an RFC 3339 date-time in the future"))
        }
        return errors
    }

    public func list() async throws -> [APIKey] {
        try await self.keys.apiKeys()
    }

    /// Revokes the active key `id`; throws `notFound` when there is none.
    public func revoke(id: UUID) async throws -> APIKey {
        guard let key = try await self.keys.revokeAPIKey(id: id, now: .now()) else {
            throw VigilError.notFound("No active API key with this id.")
        }
        return key
    }

    public static let scopeList = APIKeyScope.allCases.map(\.rawValue).joined(separator: ", ")
}
