import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: APIKeyStore {
    static let apiKeyColumns = "id, name, prefix, key_hash, scopes, created_by, created_at, expires_at, last_used_at, revoked_at"

    public func createAPIKey(_ key: APIKey) async throws {
        let scopes = key.scopes.map(\.rawValue).sorted().joined(separator: " ")
        let inserted = try await self.bounded {
            try await self.client.query(
                """
                INSERT INTO api_keys (id, name, prefix, key_hash, scopes, created_by, created_at, expires_at)
                VALUES (\(key.id), \(key.name), \(key.prefix), \(key.keyHash), \(scopes), \(key.createdBy), \(key.createdAt), \(key.expiresAt))
                ON CONFLICT DO NOTHING RETURNING id
                """,
                logger: self.logger
            ).collect().count
        }
        guard inserted == 1 else {
            throw VigilError.conflict(code: "api_key_name_taken", detail: "An active API key with this name exists.")
        }
    }

    public func apiKeys() async throws -> [APIKey] {
        try await self.apiKeys("SELECT \(Self.apiKeyColumns) FROM api_keys ORDER BY created_at DESC", PostgresBindings())
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await self.apiKeys("SELECT \(Self.apiKeyColumns) FROM api_keys WHERE key_hash = $1", try Self.bindings(hash)).first
    }

    public func revokeAPIKey(id: UUID, now: Timestamp) async throws -> APIKey? {
        try await self.apiKeys(
            "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING \(Self.apiKeyColumns)",
            try Self.bindings(now, id)
        ).first
    }

    public func touchAPIKey(id: UUID, at time: Timestamp) async throws {
        try await self.bounded {
            try await self.client.query(
                "UPDATE api_keys SET last_used_at = greatest(coalesce(last_used_at, \(time)), \(time)) WHERE id = \(id)",
                logger: self.logger
            )
        }
    }

    private func apiKeys(_ sql: String, _ binds: PostgresBindings) async throws -> [APIKey] {
        try await self.bounded {
            var keys: [APIKey] = []
            for try await row in try await self.client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger) {
                let (id, name, prefix, hash, scopes, createdBy, createdAt, expiresAt, lastUsedAt, revokedAt) = try row.decode(
                    (UUID, String, String, String, String, String, Timestamp, Timestamp?, Timestamp?, Timestamp?).self
                )
                keys.append(
                    APIKey(
                        id: id,
                        name: name,
                        prefix: prefix,
                        keyHash: hash,
                        scopes: Set(scopes.split(separator: " ").compactMap { APIKeyScope(rawValue: String($0)) }),
                        createdBy: createdBy,
                        createdAt: createdAt,
                        expiresAt: expiresAt,
                        lastUsedAt: lastUsedAt,
                        revokedAt: revokedAt
                    )
                )
            }
            return keys
        }
    }
}
