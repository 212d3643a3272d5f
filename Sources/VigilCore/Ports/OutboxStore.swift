import Foundation

/// The notification outbox: rows are added by the alert store in the transaction of the alert
/// change; deliverers on any node claim due rows under a lease, so each attempt is made by
/// exactly one node, and a node that dies mid-attempt loses only its lease.
public protocol OutboxStore: Sendable {
    /// Claims due notifications for `node` until `leaseUntil` — pending ones whose
    /// `next_attempt_at` has come, and delivering ones whose lease expired — for up to `limit`
    /// messages, and counts the attempt. A message is one notification, except on a paced
    /// channel (`ChannelKind.pace`): its due notifications (up to `batchLimit`, oldest first)
    /// are claimed together as one message, and only when the channel is ready — not before
    /// the time its last message's `recordAttempt` set, and not while a message of it is in
    /// flight (until `leaseUntil`). So, on any number of nodes, a paced channel's messages go
    /// one at a time, spaced by its pace.
    func claimDeliveries(node: String, now: Timestamp, leaseUntil: Timestamp, limit: Int, batchLimit: Int) async throws -> [OutboxEntry]

    /// Records `attempt` — one message that carried every notification of `outcomes` — and
    /// moves each to its outcome, only those whose lease `node` still holds; returns their
    /// ids. When something was recorded and `channelReadyAt` is given, the channel's next
    /// message may be claimed from then on.
    func recordAttempt(
        _ attempt: DeliveryAttempt,
        outcomes: [(id: UUID, outcome: DeliveryOutcome)],
        node: String,
        channelReadyAt: (channelID: UUID, at: Timestamp)?
    ) async throws -> Set<UUID>

    func deliveries(matching query: DeliveryQuery) async throws -> [Delivery]

    /// Queues a notification again (pending now, attempts from zero); nil if there is none.
    /// A notification being delivered right now is left alone (`VigilError.conflict`).
    func retryDelivery(id: UUID, now: Timestamp) async throws -> OutboxEntry?
}

extension OutboxStore {
    /// Claims with at most 100 notifications in one message.
    public func claimDeliveries(node: String, now: Timestamp, leaseUntil: Timestamp, limit: Int) async throws -> [OutboxEntry] {
        try await self.claimDeliveries(node: node, now: now, leaseUntil: leaseUntil, limit: limit, batchLimit: 100)
    }

    /// Records an attempt of a message that carried one notification.
    public func recordAttempt(_ attempt: DeliveryAttempt, of id: UUID, node: String, outcome: DeliveryOutcome) async throws -> Bool {
        try await !self.recordAttempt(attempt, outcomes: [(id, outcome)], node: node, channelReadyAt: nil).isEmpty
    }
}

extension VigilError {
    public static let deliveryInProgress = VigilError.conflict(
        code: "delivery_in_progress",
        detail: "The notification is being delivered right now; try again when the attempt is over."
    )
}
