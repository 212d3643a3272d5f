import Foundation

/// A person who signs in to Vigil.
public struct User: Sendable, Equatable {
    public var id: UUID
    public var username: String
    /// bcrypt hash (of the pre-hashed password; see `PasswordHasher`).
    public var passwordHash: String
    public var role: Role
    public var disabled: Bool
    /// Bumped whenever the user's credentials or rights change; tokens carrying an older
    /// version are rejected.
    public var tokenVersion: Int64
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: UUID,
        username: String,
        passwordHash: String,
        role: Role,
        disabled: Bool = false,
        tokenVersion: Int64 = 1,
        createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.role = role
        self.disabled = disabled
        self.tokenVersion = tokenVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
