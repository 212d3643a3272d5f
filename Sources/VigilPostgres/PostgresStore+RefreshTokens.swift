import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: RefreshTokenStore {
    static let refreshColumns = "id, user_id, family_id, token_hash, created_at, expires_at, used_at IS NOT NULL, revoked_at IS NOT NULL"

    public func insertRefreshToken(_ record: RefreshTokenRecord) async throws {
        try await self.bounded {
            try await self.client.withConnection { try await self.insert(record, on: $0) }
        }
    }

    public func rotateRefreshToken(hash: String, successor: RefreshTokenRecord.Successor, now: Timestamp) async throws -> RefreshRotation {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                // The owner's row first (FOR SHARE), then the token: the order a password change
                // or a demotion takes them in (user row, then its tokens). A rotation racing one
                // either waits for it and then reads its token revoked, or commits first and has
                // its successor revoked by it; it never leaves a successor alive.
                guard let (owner, _, _) = try await self.refreshToken(hash: hash, lock: false, on: connection) else { return .invalid }
                try await connection.query("SELECT 1 FROM users WHERE id = \(owner.userID) FOR SHARE", logger: self.logger)
                // FOR UPDATE: two nodes presenting the same token at once are serialized; the
                // second sees it used and revokes the family.
                guard let (record, used, revoked) = try await self.refreshToken(hash: hash, lock: true, on: connection) else {
                    return .invalid
                }
                switch RefreshRotation.decide(expiresAt: record.expiresAt, used: used, revoked: revoked, now: now) {
                case .invalid:
                    return .invalid
                case .revokeFamily:
                    try await self.revokeFamily(record.familyID, now: now, on: connection)
                    return .reused(record)
                case .rotate:
                    try await connection.query("UPDATE refresh_tokens SET used_at = \(now) WHERE id = \(record.id)", logger: self.logger)
                    try await self.insert(record.succeeded(by: successor, now: now), on: connection)
                    return .rotated(old: record)
                }
            }
        }
    }

    public func revokeRefreshFamily(hash: String, now: Timestamp) async throws -> RefreshTokenRecord? {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                guard let (record, _, _) = try await self.refreshToken(hash: hash, lock: true, on: connection) else { return nil }
                try await self.revokeFamily(record.familyID, now: now, on: connection)
                return record
            }
        }
    }

    private func refreshToken(
        hash: String,
        lock: Bool,
        on connection: PostgresConnection
    ) async throws -> (RefreshTokenRecord, used: Bool, revoked: Bool)? {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.refreshColumns) FROM refresh_tokens WHERE token_hash = \(hash)\(unescaped: lock ? " FOR UPDATE" : "")",
            logger: self.logger
        )
        for try await row in rows {
            let (id, user, family, tokenHash, createdAt, expiresAt, used, revoked) = try row.decode(
                (UUID, UUID, UUID, String, Timestamp, Timestamp, Bool, Bool).self
            )
            let record = RefreshTokenRecord(
                id: id,
                userID: user,
                familyID: family,
                tokenHash: tokenHash,
                createdAt: createdAt,
                expiresAt: expiresAt
            )
            return (record, used, revoked)
        }
        return nil
    }

    private func revokeFamily(_ family: UUID, now: Timestamp, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE refresh_tokens SET revoked_at = \(now) WHERE family_id = \(family) AND revoked_at IS NULL",
            logger: self.logger
        )
    }

    private func insert(_ record: RefreshTokenRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at)
            VALUES (\(record.id), \(record.userID), \(record.familyID), \(record.tokenHash), \(record.createdAt), \(record.expiresAt))
            """,
            logger: self.logger
        )
    }
}
