import Foundation

/// Who is making a request, after authentication: a person (with a role) or an API key (with
/// scopes). Authorization asks what the principal may do, never which kind it is.
public struct Principal: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case user(Role)
        case apiKey(Set<APIKeyScope>)
    }

    /// The user id or the API key id.
    public var id: UUID
    /// The username or the key's name.
    public var name: String
    public var kind: Kind
    /// When the user's account was created; a `user` reads nothing from before it (an account
    /// made later under a name must not inherit what was recorded under that name before).
    public var since: Timestamp?

    public init(userID: UUID, username: String, role: Role, since: Timestamp? = nil) {
        self.id = userID
        self.name = username
        self.kind = .user(role)
        self.since = since
    }

    public init(apiKeyID: UUID, name: String, scopes: Set<APIKeyScope>) {
        self.id = apiKeyID
        self.name = name
        self.kind = .apiKey(scopes)
    }

    /// The role of a person; nil for API keys.
    public var role: Role? {
        if case .user(let role) = self.kind { return role }
        return nil
    }

    /// The user id of a person; nil for API keys.
    public var userID: UUID? { self.role == nil ? nil : self.id }

    /// The `ingested_by` value for events this principal submits.
    public var ingestName: String {
        switch self.kind {
        case .user: "user:\(self.name)"
        case .apiKey: "apikey:\(self.name)"
        }
    }

    /// The `actor` recorded in self-audit events.
    public var auditName: String { self.role == nil ? "apikey:\(self.name)" : self.name }

    /// Admins and analysts ingest; keys with `events:write` ingest.
    public var canWriteEvents: Bool {
        switch self.kind {
        case .user(let role): role == .admin || role == .analyst
        case .apiKey(let scopes): scopes.contains(.eventsWrite)
        }
    }

    /// Admins and analysts, and keys with `metrics:read`, read `/metrics` (its counters would tell
    /// a stranger how close a probe comes to a rule's threshold).
    public var canReadMetrics: Bool {
        switch self.kind {
        case .user(let role): role == .admin || role == .analyst
        case .apiKey(let scopes): scopes.contains(.metricsRead)
        }
    }

    /// Whether the principal may read events at all (users read their own; keys need `events:read`).
    public var canReadEvents: Bool {
        switch self.kind {
        case .user: true
        case .apiKey(let scopes): scopes.contains(.eventsRead)
        }
    }

    /// The query scope the principal's rights impose: users see only events where they are the
    /// actor, that occurred since their account was created.
    public func scoped(_ query: EventQuery) -> EventQuery {
        var query = query
        guard self.role == .user else { return query }
        query.scopeActor = self.name
        if let since = self.since { query.from = max(query.from ?? since, since) }
        return query
    }

    /// Whether this principal may read `event`.
    public func canRead(_ event: Event) -> Bool {
        guard self.canReadEvents else { return false }
        guard self.role == .user else { return true }
        return event.actor == self.name && event.occurredAt >= (self.since ?? event.occurredAt)
    }
}
