import Foundation
import Synchronization

/// A `UserStore` that remembers lookups by id for a short time.
///
/// Every authenticated request needs its user (role, disabled flag, token version). Reading
/// it from the database each time cost more than everything else on the request path, so
/// lookups by id are served from memory for `ttl`. Changes made through this store (this
/// process) evict the entry at once; changes made elsewhere (the CLI, another node) are seen
/// within `ttl`. Lookups by username (login) and listings always go to the database.
public final class CachedUserStore: UserStore {
    private struct Entry {
        let user: User?
        let expires: ContinuousClock.Instant
    }

    private let inner: any UserStore
    private let ttl: Duration
    private let entries = Mutex<[UUID: Entry]>([:])
    private let maxEntries = 10_000

    public init(_ inner: any UserStore, ttl: Duration = .seconds(1)) {
        self.inner = inner
        self.ttl = ttl
    }

    public func user(id: UUID) async throws -> User? {
        let now = ContinuousClock.now
        if let entry = self.entries.withLock({ $0[id] }), entry.expires > now {
            return entry.user
        }
        let user = try await self.inner.user(id: id)
        self.entries.withLock { entries in
            if entries.count >= self.maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[id] = Entry(user: user, expires: now + self.ttl)
        }
        return user
    }

    /// Forgets the cached copy of `id` (call after changing that user by any other path).
    public func evict(_ id: UUID) {
        _ = self.entries.withLock { $0.removeValue(forKey: id) }
    }

    public func createUser(_ user: User) async throws {
        try await self.inner.createUser(user)
        self.evict(user.id)
    }

    public func createFirstUser(_ user: User) async throws -> Bool {
        let created = try await self.inner.createFirstUser(user)
        self.evict(user.id)
        return created
    }

    public func updateUser(id: UUID, _ change: UserChange, now: Timestamp) async throws -> (before: User, after: User)? {
        defer { self.evict(id) }
        return try await self.inner.updateUser(id: id, change, now: now)
    }

    public func deleteUser(id: UUID) async throws -> User? {
        defer { self.evict(id) }
        return try await self.inner.deleteUser(id: id)
    }

    public func user(username: String) async throws -> User? { try await self.inner.user(username: username) }

    public func users() async throws -> [User] { try await self.inner.users() }
}
