import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: UserStore {
    static let userColumns = "id, username, password_hash, role, disabled, token_version, created_at, updated_at"

    public func createUser(_ user: User) async throws {
        let inserted = try await self.pool.write { connection in
            try await Self.insertIfUsernameFree(user, on: connection)
        }
        guard inserted else { throw VigilError.conflict(code: "username_taken", detail: "That username is taken.") }
    }

    public func createFirstUser(_ user: User) async throws -> Bool {
        try await self.pool.write { connection in
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

    public func user(id: UUID) async throws -> User? {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.userColumns) FROM users WHERE id = ?", [.text(id.lowercased)])
                .first.flatMap(Self.user(from:))
        }
    }

    public func user(username: String) async throws -> User? {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.userColumns) FROM users WHERE username = ? COLLATE NOCASE", [.text(username)])
                .first.flatMap(Self.user(from:))
        }
    }

    public func users() async throws -> [User] {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.userColumns) FROM users ORDER BY username COLLATE NOCASE")
                .compactMap(Self.user(from:))
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
