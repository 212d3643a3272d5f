import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: UserStore {
    static let userColumns = "id, username, password_hash, role, disabled, token_version, created_at, updated_at"
    /// Serializes user changes that must see every admin (first user, last-admin guard) across nodes.
    static let usersLockKey: Int64 = 0x5649_4749_4C00_0003

    public func createUser(_ user: User) async throws {
        let inserted = try await self.bounded {
            try await self.client.withConnection { try await self.insertIfUsernameFree(user, on: $0) }
        }
        guard inserted else { throw VigilError.usernameTaken }
    }

    public func createFirstUser(_ user: User) async throws -> Bool {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.usersLockKey))", logger: self.logger)
                for try await _ in try await connection.query("SELECT 1 FROM users LIMIT 1", logger: self.logger) { return false }
                return try await self.insertIfUsernameFree(user, on: connection)
            }
        }
    }

    private func insertIfUsernameFree(_ user: User, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO users (id, username, password_hash, role, disabled, token_version, created_at, updated_at)
            VALUES (\(user.id), \(user.username), \(user.passwordHash), \(user.role.rawValue), \(user.disabled),
                    \(user.tokenVersion), \(user.createdAt), \(user.updatedAt))
            ON CONFLICT (lower(username)) DO NOTHING RETURNING id
            """,
            logger: self.logger
        )
        return try await rows.collect().count == 1
    }

    public func updateUser(id: UUID, _ change: UserChange, now: Timestamp) async throws -> (before: User, after: User)? {
        try await self.bounded { () -> UserUpdateResult? in
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.usersLockKey))", logger: self.logger)
                guard let before = try await self.user(id: id, on: connection) else { return nil }
                let after = change.applied(to: before, now: now)
                guard after != before else { return UserUpdateResult(before: before, after: after) }
                try await UserChange.requireAnotherAdmin(before: before, after: after) { try await self.otherEnabledAdmins(than: id, on: connection) }
                try await connection.query(
                    """
                    UPDATE users SET role = \(after.role.rawValue), disabled = \(after.disabled), password_hash = \(after.passwordHash),
                        token_version = \(after.tokenVersion), updated_at = \(after.updatedAt) WHERE id = \(id)
                    """,
                    logger: self.logger
                )
                if after.tokenVersion != before.tokenVersion {
                    try await connection.query(
                        "UPDATE refresh_tokens SET revoked_at = \(now) WHERE user_id = \(id) AND revoked_at IS NULL",
                        logger: self.logger
                    )
                }
                return UserUpdateResult(before: before, after: after)
            }
        }.map { ($0.before, $0.after) }
    }

    private struct UserUpdateResult: Sendable {
        let before: User
        let after: User
    }

    public func deleteUser(id: UUID) async throws -> User? {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.usersLockKey))", logger: self.logger)
                guard let user = try await self.user(id: id, on: connection) else { return nil }
                try await UserChange.requireAnotherAdmin(before: user, after: nil) { try await self.otherEnabledAdmins(than: id, on: connection) }
                // refresh_tokens rows go with the user (ON DELETE CASCADE).
                try await connection.query("DELETE FROM users WHERE id = \(id)", logger: self.logger)
                return user
            }
        }
    }

    private func user(id: UUID, on connection: PostgresConnection) async throws -> User? {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.userColumns) FROM users WHERE id = \(id)",
            logger: self.logger
        )
        for try await row in rows { return try Self.user(from: row) }
        return nil
    }

    private func otherEnabledAdmins(than id: UUID, on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            "SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled AND id <> \(id)",
            logger: self.logger
        )
        var others: Int64 = 0
        for try await count in rows.decode(Int64.self) { others = count }
        return Int(others)
    }

    public func user(id: UUID) async throws -> User? {
        try await self.bounded { try await self.client.withConnection { try await self.user(id: id, on: $0) } }
    }

    public func user(username: String) async throws -> User? {
        try await self.users(where: "WHERE lower(username) = lower($1)", try Self.bindings(username)).first
    }

    public func users() async throws -> [User] {
        try await self.users(where: "ORDER BY lower(username)", PostgresBindings())
    }

    private func users(where clause: String, _ binds: PostgresBindings) async throws -> [User] {
        try await self.bounded {
            var users: [User] = []
            let rows = try await self.client.query(
                PostgresQuery(unsafeSQL: "SELECT \(Self.userColumns) FROM users \(clause)", binds: binds),
                logger: self.logger
            )
            for try await row in rows { users.append(try Self.user(from: row)) }
            return users
        }
    }

    static func user(from row: PostgresRow) throws -> User {
        let (id, username, hash, roleText, disabled, tokenVersion, createdAt, updatedAt) = try row.decode(
            (UUID, String, String, String, Bool, Int64, Timestamp, Timestamp).self
        )
        guard let role = Role(rawValue: roleText) else { throw CorruptRow(table: "users") }
        return User(
            id: id,
            username: username,
            passwordHash: hash,
            role: role,
            disabled: disabled,
            tokenVersion: tokenVersion,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }
}
