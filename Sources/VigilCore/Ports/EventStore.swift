import Foundation

/// Durable storage of the event log.
public protocol EventStore: Sendable {
    /// Commits `submissions` in one transaction and reports each submission's fate.
    ///
    /// Each submission is all-or-nothing: if any of its events reuses a client id with
    /// different content (already stored, or earlier in the same call), none of its events is
    /// written and its result is `.conflict`. Events whose client id is already stored with the
    /// same content are reported as `.duplicate` with the stored event and not written again.
    /// When this returns, everything reported `.created` is durable; if it throws, nothing was written.
    func write(_ submissions: [[PreparedEvent]]) async throws -> [SubmissionResult]

    /// The event with this id, or nil.
    func event(id: UUID) async throws -> Event?

    /// One page of events matching `query`, in `query.order` by `(occurred_at, id)`.
    func events(matching query: EventQuery) async throws -> EventPage
}

/// What happened to one submission in `EventStore.write`.
public enum SubmissionResult: Sendable, Equatable {
    /// Committed; one outcome per submitted event, in order.
    case committed([ItemOutcome])
    /// Nothing written: these item indices reuse a client id with different content.
    case conflict([Int])
}

public enum ItemOutcome: Sendable, Equatable {
    case created(Event)
    case duplicate(Event)

    public var event: Event {
        switch self {
        case .created(let event), .duplicate(let event): event
        }
    }

    public var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}
