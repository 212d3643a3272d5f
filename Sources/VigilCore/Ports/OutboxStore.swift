import Foundation

/// What happened to a claimed notification.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Try again at `at`.
    case retry(at: Timestamp)
    /// No attempts left.
    case dead

    /// The notification's status after this outcome.
    public var status: OutboxEntry.Status {
        switch self {
        case .delivered: .delivered
        case .retry: .pending
        case .dead: .dead
        }
    }

    /// The next attempt's time, for a retry.
    public var nextAttemptAt: Timestamp? {
        if case .retry(let at) = self { return at }
        return nil
    }
}

/// A filter over notifications for the deliveries list, newest first.
public struct DeliveryQuery: Sendable {
    public var channelID: UUID?
    public var alertID: UUID?
    public var status: OutboxEntry.Status?
    public var limit: Int = 50
    /// Only entries created before this one (`created_at`, `id`): the keyset of the next page.
    public var before: (Timestamp, UUID)?

    public init() {}
}

/// A notification with its attempts, oldest first.
public struct Delivery: Sendable, Equatable {
    public var entry: OutboxEntry
    public var attempts: [DeliveryAttempt]

    public init(entry: OutboxEntry, attempts: [DeliveryAttempt]) {
        self.entry = entry
        self.attempts = attempts
    }
}

/// The notification outbox: rows are added by the alert store in the transaction of the alert
/// change; deliverers on any node claim due rows under a lease, so each attempt is made by
/// exactly one node, and a node that dies mid-attempt loses only its lease.
public protocol OutboxStore: Sendable {
    /// Claims up to `limit` due notifications for `node` until `leaseUntil`: pending ones whose
    /// `next_attempt_at` has come, and delivering ones whose lease expired. Counts the attempt.
    func claimDeliveries(node: String, now: Timestamp, leaseUntil: Timestamp, limit: Int) async throws -> [OutboxEntry]

    /// Records `attempt` and moves the notification to `outcome` — only while `node` holds its
    /// lease; returns false (and records nothing) otherwise.
    func recordAttempt(_ attempt: DeliveryAttempt, of id: UUID, node: String, outcome: DeliveryOutcome) async throws -> Bool

    func deliveries(matching query: DeliveryQuery) async throws -> [Delivery]

    /// Queues a notification again (pending now, attempts from zero); nil if there is none.
    /// A notification being delivered right now is left alone (`VigilError.conflict`).
    func retryDelivery(id: UUID, now: Timestamp) async throws -> OutboxEntry?
}

extension VigilError {
    public static let deliveryInProgress = VigilError.conflict(
        code: "delivery_in_progress",
        detail: "The notification is being delivered right now; try again when the attempt is over."
    )
}
