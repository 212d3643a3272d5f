import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: RefreshTokenStore {
    static let refreshColumns = "id, user_id, family_id, token_hash, created_at, expires_at, used_at, revoked_at"

    public func insertRefreshToken(_ record: RefreshTokenRecord) async throws {
        try await self.pool.writeTransaction { connection in
            try await Self.insert(record, on: connection)
        }
    }

    public func rotateRefreshToken(hash: String, successor: RefreshTokenRecord.Successor, now: Timestamp) async throws -> RefreshRotation {
        try await self.pool.writeTransaction { connection in
            guard let row = try await connection.query("SELECT \(Self.refreshColumns) FROM refresh_tokens WHERE token_hash = ?", [.text(hash)]).first
            else { return .invalid }
            let record = try Self.decodedRefreshToken(row)
            let used = row.column("used_at")?.isNull == false
            let revoked = row.column("revoked_at")?.isNull == false
            switch RefreshRotation.decide(expiresAt: record.expiresAt, used: used, revoked: revoked, now: now) {
            case .invalid:
                return .invalid
            case .revokeFamily:
                try await Self.revokeFamily(record.familyID, now: now, on: connection)
                return .reused(record)
            case .rotate:
                _ = try await connection.query(
                    "UPDATE refresh_tokens SET used_at = ? WHERE id = ?",
                    [.integer(Int(now.microseconds)), .text(record.id.lowercased)]
                )
                try await Self.insert(record.succeeded(by: successor, now: now), on: connection)
                return .rotated(old: record)
            }
        }
    }

    public func revokeRefreshFamily(hash: String, now: Timestamp) async throws -> RefreshTokenRecord? {
        try await self.pool.writeTransaction { connection in
            guard let row = try await connection.query("SELECT \(Self.refreshColumns) FROM refresh_tokens WHERE token_hash = ?", [.text(hash)]).first
            else { return nil }
            let record = try Self.decodedRefreshToken(row)
            try await Self.revokeFamily(record.familyID, now: now, on: connection)
            return record
        }
    }

    private static func revokeFamily(_ family: UUID, now: Timestamp, on connection: SQLiteConnection) async throws {
        _ = try await connection.query(
            "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
            [.integer(Int(now.microseconds)), .text(family.lowercased)]
        )
    }

    private static func insert(_ record: RefreshTokenRecord, on connection: SQLiteConnection) async throws {
        _ = try await connection.query(
            "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                .text(record.id.lowercased), .text(record.userID.lowercased), .text(record.familyID.lowercased), .text(record.tokenHash),
                .integer(Int(record.createdAt.microseconds)), .integer(Int(record.expiresAt.microseconds)),
            ]
        )
    }

    /// The record in `row`, or `CorruptRow` (a damaged token row is an error, not "no such token").
    static func decodedRefreshToken(_ row: SQLiteRow) throws -> RefreshTokenRecord {
        try [row].decodeAll(table: "refresh_tokens", Self.refreshToken(from:))[0]
    }

    static func refreshToken(from row: SQLiteRow) -> RefreshTokenRecord? {
        guard let id = row.string("id").flatMap(UUID.init(canonical:)), let user = row.string("user_id").flatMap(UUID.init(canonical:)),
            let family = row.string("family_id").flatMap(UUID.init(canonical:)), let hash = row.string("token_hash")
        else { return nil }
        return RefreshTokenRecord(
            id: id,
            userID: user,
            familyID: family,
            tokenHash: hash,
            createdAt: Timestamp(microseconds: row.int64("created_at")),
            expiresAt: Timestamp(microseconds: row.int64("expires_at"))
        )
    }
}
