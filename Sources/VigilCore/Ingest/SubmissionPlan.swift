import Foundation

/// An event already in the log, with the hash of the content it was submitted with.
public struct StoredEvent: Sendable, Equatable {
    public var event: Event
    public var contentHash: String

    public init(event: Event, contentHash: String) {
        self.event = event
        self.contentHash = contentHash
    }
}

/// What one `EventStore.write` call does, decided before anything is written; shared by every
/// engine so they agree on idempotency and all-or-nothing submissions.
public struct SubmissionPlan: Sendable {
    /// One result per submission, in order.
    public var results: [SubmissionResult]
    /// The events to insert, in submission order.
    public var rows: [PreparedEvent]

    /// Decides each submission's fate against `stored` (the stored events among the
    /// submissions' client ids) and the events accepted earlier in the same call.
    public init(_ submissions: [[PreparedEvent]], stored: [UUID: StoredEvent]) {
        var known = stored
        var results: [SubmissionResult] = []
        var rows: [PreparedEvent] = []
        for submission in submissions {
            var outcomes: [ItemOutcome] = []
            var conflicts: [Int] = []
            var added: [UUID: StoredEvent] = [:]
            var created: [PreparedEvent] = []
            for (index, item) in submission.enumerated() {
                let key = item.event.id
                if let existing = added[key] ?? known[key] {
                    if existing.contentHash == item.contentHash {
                        outcomes.append(.duplicate(existing.event))
                    } else {
                        conflicts.append(index)
                    }
                } else {
                    added[key] = StoredEvent(event: item.event, contentHash: item.contentHash)
                    created.append(item)
                    outcomes.append(.created(item.event))
                }
            }
            if conflicts.isEmpty {
                known.merge(added) { old, _ in old }
                rows += created
                results.append(.committed(outcomes))
            } else {
                results.append(.conflict(conflicts))
            }
        }
        self.results = results
        self.rows = rows
    }

    /// The client ids (distinct) among `submissions`; only these need a lookup.
    public static func clientIDs(in submissions: [[PreparedEvent]]) -> [UUID] {
        Array(Set(submissions.joined().lazy.filter(\.hasClientID).map(\.event.id)))
    }
}
