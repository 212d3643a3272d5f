import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: APIKeyStore {
    static let apiKeyColumns = "id, name, prefix, key_hash, scopes, created_by, created_at, expires_at, last_used_at, revoked_at"

    public func createAPIKey(_ key: APIKey) async throws {
        let inserted = try await self.pool.writeTransaction { connection in
            try await connection.query(
                """
                INSERT INTO api_keys (\(Self.apiKeyColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)
                ON CONFLICT DO NOTHING RETURNING id
                """,
                [
                    .text(key.id.lowercased), .text(key.name), .text(key.prefix), .text(key.keyHash),
                    .text(key.scopes.map(\.rawValue).sorted().joined(separator: " ")), .text(key.createdBy),
                    .integer(Int(key.createdAt.microseconds)), key.expiresAt.map { .integer(Int($0.microseconds)) } ?? .null,
                ]
            )
        }
        guard !inserted.isEmpty else {
            throw VigilError.conflict(code: "api_key_name_taken", detail: "An active API key with this name exists.")
        }
    }

    public func apiKeys() async throws -> [APIKey] {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.apiKeyColumns) FROM api_keys ORDER BY created_at DESC").decodeAll(
                table: "api_keys",
                Self.apiKey(from:)
            )
        }
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.apiKeyColumns) FROM api_keys WHERE key_hash = ?", [.text(hash)]).first.flatMap(
                Self.apiKey(from:)
            )
        }
    }

    public func revokeAPIKey(id: UUID, now: Timestamp) async throws -> APIKey? {
        try await self.pool.writeTransaction { connection in
            try await connection.query(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING \(Self.apiKeyColumns)",
                [.integer(Int(now.microseconds)), .text(id.lowercased)]
            ).prefix(1).decodeAll(table: "api_keys", Self.apiKey(from:)).first
        }
    }

    public func touchAPIKey(id: UUID, at time: Timestamp) async throws {
        try await self.pool.writeTransaction { connection in
            _ = try await connection.query(
                "UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?",
                [.integer(Int(time.microseconds)), .text(id.lowercased)]
            )
        }
    }

    static func apiKey(from row: SQLiteRow) -> APIKey? {
        func time(_ column: String) -> Timestamp? {
            guard let data = row.column(column), !data.isNull, let value = data.integer else { return nil }
            return Timestamp(microseconds: Int64(value))
        }
        guard let id = row.string("id").flatMap(UUID.init(canonical:)), let name = row.string("name"), let prefix = row.string("prefix"),
            let hash = row.string("key_hash"), let createdBy = row.string("created_by"), let createdAt = time("created_at")
        else { return nil }
        let scopes = Set((row.string("scopes") ?? "").split(separator: " ").compactMap { APIKeyScope(rawValue: String($0)) })
        return APIKey(
            id: id,
            name: name,
            prefix: prefix,
            keyHash: hash,
            scopes: scopes,
            createdBy: createdBy,
            createdAt: createdAt,
            expiresAt: time("expires_at"),
            lastUsedAt: time("last_used_at"),
            revokedAt: time("revoked_at")
        )
    }
}
