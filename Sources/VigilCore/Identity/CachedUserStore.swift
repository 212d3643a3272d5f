import Foundation
import Synchronization

/// A `UserStore` that remembers lookups by id for a short time.
///
/// Every authenticated request needs its user (role, disabled flag, token version). Reading
/// it from the database each time cost more than everything else on the request path, so
/// lookups by id are served from memory for `ttl`. Changes made through this store (this
/// process) evict the entry at once; changes made elsewhere (the CLI, another node) are seen
/// within `ttl`. Lookups by username (login) and listings always go to the database.
///
/// A lookup that was already reading when an eviction happened does not cache what it read
/// (it may be the copy from before the change): every eviction moves a generation counter, and
/// a lookup caches only if the counter has not moved since it began.
public final class CachedUserStore: UserStore {
    private struct Entry {
        let user: User?
        let expires: ContinuousClock.Instant
    }

    private let inner: any UserStore
    private let ttl: Duration
    private let entries = Mutex<(map: [UUID: Entry], generation: UInt64)>(([:], 0))
    private let maxEntries = 10_000

    public init(_ inner: any UserStore, ttl: Duration = .seconds(1)) {
        self.inner = inner
        self.ttl = ttl
    }

    public func user(id: UUID) async throws -> User? {
        let now = ContinuousClock.now
        let (cached, generation) = self.entries.withLock { ($0.map[id], $0.generation) }
        if let cached, cached.expires > now { return cached.user }
        let user = try await self.inner.user(id: id)
        self.entries.withLock { entries in
            guard entries.generation == generation else { return }
            if entries.map.count >= self.maxEntries { entries.map.removeAll(keepingCapacity: true) }
            entries.map[id] = Entry(user: user, expires: now + self.ttl)
        }
        return user
    }

    /// Forgets the cached copy of `id` (call after changing that user by any other path).
    public func evict(_ id: UUID) {
        self.entries.withLock { entries in
            entries.map.removeValue(forKey: id)
            entries.generation &+= 1
        }
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
