import Foundation
import NIOPosix
import VigilCore

/// User management shared by the CLI (and, later, the admin API): validation, hashing, storage.
public struct UserAdministration: Sendable {
    let users: any UserStore
    let bcryptCost: UInt8

    public init(users: any UserStore, bcryptCost: UInt8 = 12) {
        self.users = users
        self.bcryptCost = bcryptCost
    }

    /// Creates a user; throws `VigilError.validation` for a bad username or password and
    /// `VigilError.conflict` if the username is taken.
    @discardableResult
    public func createUser(username: String, password: String, role: Role) async throws -> User {
        let problems = Credentials.validate(username: username, password: password)
        guard problems.isEmpty else { throw VigilError.validation(problems) }
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        defer { pool.shutdownGracefully { _ in } }
        let hash = try await PasswordHasher(cost: self.bcryptCost, threadPool: pool).hash(password)
        let now = Timestamp.now()
        let user = User(id: UUID.v7(at: now), username: username, passwordHash: hash, role: role, createdAt: now, updatedAt: now)
        try await self.users.createUser(user)
        return user
    }
}
