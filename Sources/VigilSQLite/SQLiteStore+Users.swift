import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: UserStore {
    static let userColumns = "id, username, password_hash, role, disabled, token_version, created_at, updated_at"

    public func createUser(_ user: User) async throws {
        let inserted = try await self.pool.writeTransaction { connection in
            try await Self.insertIfUsernameFree(user, on: connection)
        }
        guard inserted else { throw VigilError.usernameTaken }
    }

    public func createFirstUser(_ user: User) async throws -> Bool {
        try await self.pool.writeTransaction { connection in
            guard try await connection.query("SELECT 1 FROM users LIMIT 1").isEmpty else { return false }
            return try await Self.insertIfUsernameFree(user, on: connection)
        }
    }

    private static func insertIfUsernameFree(_ user: User, on connection: SQLiteConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO users (\(userColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (username) DO NOTHING RETURNING id
            """,
            [
                .text(user.id.lowercased), .text(user.username), .text(user.passwordHash), .text(user.role.rawValue),
                .integer(user.disabled ? 1 : 0), .integer(Int(user.tokenVersion)), .integer(Int(user.createdAt.microseconds)),
                .integer(Int(user.updatedAt.microseconds)),
            ]
        )
        return !rows.isEmpty
    }

    public func updateUser(id: UUID, _ change: UserChange, now: Timestamp) async throws -> (before: User, after: User)? {
        try await self.pool.writeTransaction { connection in
            guard let before = try await Self.user(id: id, on: connection) else { return nil }
            let after = change.applied(to: before, now: now)
            guard after != before else { return (before, after) }
            try await UserChange.requireAnotherAdmin(before: before, after: after) { try await Self.otherEnabledAdmins(than: id, on: connection) }
            _ = try await connection.query(
                "UPDATE users SET role = ?, disabled = ?, password_hash = ?, token_version = ?, updated_at = ? WHERE id = ?",
                [
                    .text(after.role.rawValue), .integer(after.disabled ? 1 : 0), .text(after.passwordHash), .integer(Int(after.tokenVersion)),
                    .integer(Int(after.updatedAt.microseconds)), .text(id.lowercased),
                ]
            )
            if after.tokenVersion != before.tokenVersion {
                _ = try await connection.query(
                    "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                    [.integer(Int(now.microseconds)), .text(id.lowercased)]
                )
            }
            return (before, after)
        }
    }

    public func deleteUser(id: UUID) async throws -> User? {
        try await self.pool.writeTransaction { connection in
            guard let user = try await Self.user(id: id, on: connection) else { return nil }
            try await UserChange.requireAnotherAdmin(before: user, after: nil) { try await Self.otherEnabledAdmins(than: id, on: connection) }
            _ = try await connection.query("DELETE FROM refresh_tokens WHERE user_id = ?", [.text(id.lowercased)])
            _ = try await connection.query("DELETE FROM users WHERE id = ?", [.text(id.lowercased)])
            return user
        }
    }

    private static func user(id: UUID, on connection: SQLiteConnection) async throws -> User? {
        try await connection.query("SELECT \(userColumns) FROM users WHERE id = ?", [.text(id.lowercased)]).prefix(1).decodeAll(
            table: "users",
            Self.user(from:)
        ).first
    }

    private static func otherEnabledAdmins(than id: UUID, on connection: SQLiteConnection) async throws -> Int {
        let others = try await connection.query(
            "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?",
            [.text(id.lowercased)]
        )
        return Int(others.first?.int64("n") ?? 0)
    }

    public func user(id: UUID) async throws -> User? {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.userColumns) FROM users WHERE id = ?", [.text(id.lowercased)])
                .prefix(1).decodeAll(table: "users", Self.user(from:)).first
        }
    }

    public func user(username: String) async throws -> User? {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.userColumns) FROM users WHERE username = ? COLLATE NOCASE", [.text(username)])
                .prefix(1).decodeAll(table: "users", Self.user(from:)).first
        }
    }

    public func users() async throws -> [User] {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.userColumns) FROM users ORDER BY username COLLATE NOCASE")
                .decodeAll(table: "users", Self.user(from:))
        }
    }

    static func user(from row: SQLiteRow) -> User? {
        guard let idText = row.string("id"), let id = UUID(canonical: idText), let username = row.string("username"),
            let hash = row.string("password_hash"), let role = Role(rawValue: row.string("role") ?? "")
        else { return nil }
        return User(
            id: id,
            username: username,
            passwordHash: hash,
            role: role,
            disabled: row.int64("disabled") != 0,
            tokenVersion: row.int64("token_version"),
            createdAt: Timestamp(microseconds: row.int64("created_at")),
            updatedAt: Timestamp(microseconds: row.int64("updated_at"))
        )
    }
}
