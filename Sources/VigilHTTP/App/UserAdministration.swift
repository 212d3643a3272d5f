import Foundation
import NIOPosix
import VigilCore

/// User management shared by the admin API and the CLI: validation, hashing, storage.
public struct UserAdministration: Sendable {
    let users: any UserStore
    let hasher: PasswordHasher

    init(users: any UserStore, hasher: PasswordHasher) {
        self.users = users
        self.hasher = hasher
    }

    /// Runs `body` with an administration object whose bcrypt work runs on a private thread
    /// pool (for the CLI, which has no application around it).
    public static func withAdministration<T: Sendable>(
        users: any UserStore,
        bcryptCost: UInt8 = 12,
        _ body: (UserAdministration) async throws -> T
    ) async throws -> T {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let result = await Result { try await body(UserAdministration(users: users, hasher: PasswordHasher(cost: bcryptCost, threadPool: pool))) }
        try? await pool.shutdownGracefully()
        return try result.get()
    }

    /// Creates a user; throws `VigilError.validation` for a bad or reserved username or a bad
    /// password and `VigilError.conflict` if the username is taken.
    @discardableResult
    public func createUser(username: String, password: String, role: Role) async throws -> User {
        var problems = Credentials.validate(username: username, password: password)
        if Credentials.reservedUsernames.contains(username.lowercased()) {
            problems.append(FieldError(field: "username", message: "is reserved"))
        }
        guard problems.isEmpty else { throw VigilError.validation(problems) }
        // A taken name is refused before bcrypt runs, so refused requests cost no hashing; the
        // store's unique index still decides a race.
        if try await self.users.user(username: username) != nil { throw VigilError.usernameTaken }
        let hash = try await self.hasher.hash(password)
        let now = Timestamp.now()
        let user = User(id: UUID.v7(at: now), username: username, passwordHash: hash, role: role, createdAt: now, updatedAt: now)
        try await self.users.createUser(user)
        return user
    }

    /// Gives `user` a new password (validated as at creation; field `password`) and revokes all
    /// their tokens (the token version moves).
    @discardableResult
    public func setPassword(of user: User, to password: String) async throws -> UserUpdate {
        let problems = Credentials.validate(username: user.username, password: password).filter { $0.field == "password" }
        guard problems.isEmpty else { throw VigilError.validation(problems) }
        let hash = try await self.hasher.hash(password)
        guard let (before, after) = try await self.users.updateUser(id: user.id, UserChange(passwordHash: hash), now: .now()) else {
            throw VigilError.notFound("No user named \(user.username).")
        }
        return UserUpdate(before: before, after: after)
    }

    /// `setPassword(of:to:)` by username; throws `notFound` for an unknown username.
    @discardableResult
    public func setPassword(username: String, to password: String) async throws -> UserUpdate {
        guard let user = try await self.users.user(username: username) else { throw VigilError.notFound("No user named \(username).") }
        return try await self.setPassword(of: user, to: password)
    }

    /// Changes a user's role or disabled flag by username; throws `notFound` for an unknown
    /// username and `conflict` (`last_admin`) when no enabled admin would remain.
    @discardableResult
    public func update(username: String, _ change: UserChange) async throws -> UserUpdate {
        guard let user = try await self.users.user(username: username),
            let (before, after) = try await self.users.updateUser(id: user.id, change, now: .now())
        else { throw VigilError.notFound("No user named \(username).") }
        return UserUpdate(before: before, after: after)
    }
}

/// A user before and after a change.
public struct UserUpdate: Sendable {
    public let before: User
    public let after: User
}
