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
}
