import Foundation

/// Durable storage of users.
public protocol UserStore: Sendable {
    /// Inserts a user; throws `VigilError.conflict` (code `username_taken`) if the username
    /// exists (usernames are unique ignoring case).
    func createUser(_ user: User) async throws
    /// Creates `user` only when no user exists at all; returns whether it did. Atomic, so two
    /// processes starting at once create one first admin.
    func createFirstUser(_ user: User) async throws -> Bool
    func user(id: UUID) async throws -> User?
    /// Lookup ignoring case.
    func user(username: String) async throws -> User?
    func users() async throws -> [User]
    /// Applies `change` to the user atomically and returns the user before and after (nil if
    /// no such user). A change of role or disabled flag bumps the token version and revokes the
    /// user's refresh tokens. Throws `VigilError.conflict` (code `last_admin`) if it would
    /// leave no enabled admin.
    func updateUser(id: UUID, _ change: UserChange, now: Timestamp) async throws -> (before: User, after: User)?
    /// Deletes the user and their refresh tokens; returns the deleted user (nil if none).
    /// Throws `VigilError.conflict` (code `last_admin`) for the last enabled admin.
    func deleteUser(id: UUID) async throws -> User?
}
