import Foundation

/// Who is making a request, after authentication.
public struct Principal: Sendable, Equatable {
    public var userID: UUID
    public var username: String
    public var role: Role

    public init(userID: UUID, username: String, role: Role) {
        self.userID = userID
        self.username = username
        self.role = role
    }

    /// The `ingested_by` value for events this principal submits.
    public var ingestName: String { "user:\(self.username)" }

    /// The query scope the role imposes: users see only events where they are the actor.
    public func scoped(_ query: EventQuery) -> EventQuery {
        var query = query
        if self.role == .user { query.scopeActor = self.username }
        return query
    }

    /// Whether this principal may read `event`.
    public func canRead(_ event: Event) -> Bool {
        self.role != .user || event.actor == self.username
    }
}
