/// What an update may change. Nil fields are left alone.
public struct UserChange: Sendable, Equatable {
    public var role: Role?
    public var disabled: Bool?
    /// A new bcrypt hash (password change).
    public var passwordHash: String?

    public init(role: Role? = nil, disabled: Bool? = nil, passwordHash: String? = nil) {
        self.role = role
        self.disabled = disabled
        self.passwordHash = passwordHash
    }

    /// The user with this change applied; the token version moves whenever credentials or
    /// rights change, so every token issued before stops working.
    public func applied(to user: User, now: Timestamp) -> User {
        var updated = user
        if let role { updated.role = role }
        if let disabled { updated.disabled = disabled }
        if let passwordHash { updated.passwordHash = passwordHash }
        if updated.role != user.role || updated.disabled != user.disabled || updated.passwordHash != user.passwordHash {
            updated.tokenVersion += 1
            updated.updatedAt = now
        }
        return updated
    }
}

extension UserChange {
    /// The last-admin rule, for an update (`after` the changed user) or a deletion (`after`
    /// nil): a change that takes away an enabled admin needs another one to remain. Calls
    /// `otherEnabledAdmins` (the adapter's count, under its lock) only then; throws `conflict`
    /// (code `last_admin`) when it is zero.
    public static func requireAnotherAdmin(
        before: User,
        after: User?,
        otherEnabledAdmins: () async throws -> Int
    ) async throws {
        guard before.isEnabledAdmin, !(after?.isEnabledAdmin ?? false) else { return }
        guard try await otherEnabledAdmins() > 0 else {
            throw VigilError.conflict(code: "last_admin", detail: "This is the last enabled admin; create or enable another admin first.")
        }
    }
}

extension User {
    /// Whether this user counts toward "at least one enabled admin".
    public var isEnabledAdmin: Bool { self.role == .admin && !self.disabled }
}
