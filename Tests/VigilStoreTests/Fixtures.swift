import Foundation
import VigilCore

/// Builders for test data.
enum Fixtures {
    static let base = Timestamp(rfc3339: "2026-03-01T00:00:00Z")!

    static func event(
        _ type: String = "test.event",
        id: UUID? = nil,
        at offset: Int64 = 0,
        severity: Severity = .info,
        outcome: Outcome = .unknown,
        actor: String? = nil,
        source: String? = nil,
        ip: String? = nil,
        description: String? = nil,
        details: String = "{}",
        entityType: String? = nil,
        entityID: String? = nil,
        location: String? = nil
    ) -> PreparedEvent {
        let new = NewEvent(
            clientID: id,
            type: type,
            occurredAt: base.adding(seconds: offset),
            severity: severity,
            outcome: outcome,
            actor: actor,
            entityType: entityType,
            entityID: entityID,
            source: source,
            ip: ip.flatMap(IPAddress.init),
            location: location,
            description: description,
            details: details
        )
        return new.prepared(receivedAt: base.adding(seconds: offset), ingestedBy: "user:test")
    }

    /// What `query` must return from `events`, by brute force: every term in the searchable
    /// fields (`TextSearch.texts(of:)`, as the engines index them), the actor and the time range,
    /// in the query's order.
    static func expected(_ query: EventQuery, among events: [PreparedEvent]) -> [UUID] {
        let matching = events.map(\.event).filter { (event: Event) -> Bool in
            TextSearch.containsAll(query.textTerms, in: TextSearch.texts(of: event))
                && (query.actor.map { event.actor == $0 } ?? true)
                && (query.from.map { event.occurredAt >= $0 } ?? true)
                && (query.to.map { event.occurredAt < $0 } ?? true)
        }
        let sorted = matching.sorted { ($0.occurredAt, $0.id.lowercased) < ($1.occurredAt, $1.id.lowercased) }.map(\.id)
        return query.order == .asc ? sorted : sorted.reversed()
    }

    /// Every page of `query` from `store`, following cursors (at most `maxPages`).
    static func allPages(_ store: any ContractStore, _ query: EventQuery, maxPages: Int = 200) async throws -> [UUID] {
        var query = query
        var seen: [UUID] = []
        for _ in 0..<maxPages {
            let page = try await store.events(matching: query)
            seen += page.items.map(\.id)
            guard let next = page.nextCursor else { break }
            query.cursor = next
        }
        return seen
    }

    static func user(_ name: String, role: Role = .user) -> User {
        User(id: UUID.v7(), username: name, passwordHash: "$2b$04$fake", role: role, createdAt: base, updatedAt: base)
    }
}
