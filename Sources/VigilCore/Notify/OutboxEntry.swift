import Foundation

/// One notification to deliver: written in the same transaction as the alert change it
/// reports, then delivered (at least once; receivers deduplicate on `id`) by a `Deliverer`.
public struct OutboxEntry: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// Waiting for `nextAttemptAt`.
        case pending
        /// Claimed by a node (`leaseOwner`) until `leaseExpiresAt`; past it any node may claim it again.
        case delivering
        case delivered
        /// Every attempt failed; `POST /deliveries/{id}/retry` queues it again.
        case dead
    }

    public var id: UUID
    public var channelID: UUID
    public var alertID: UUID
    public var event: NotificationEvent
    /// The JSON body's `data`: the alert as it was when the change committed.
    public var payload: String
    public var status: Status
    /// Attempts made so far.
    public var attempts: Int
    public var nextAttemptAt: Timestamp
    public var lastError: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: UUID,
        channelID: UUID,
        alertID: UUID,
        event: NotificationEvent,
        payload: String,
        status: Status = .pending,
        attempts: Int = 0,
        nextAttemptAt: Timestamp,
        lastError: String? = nil,
        createdAt: Timestamp,
        updatedAt: Timestamp
    ) {
        self.id = id
        self.channelID = channelID
        self.alertID = alertID
        self.event = event
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The entries for `changes` (event, alert after the change) to every channel that wants them.
    public static func plan(_ changes: [(NotificationEvent, Alert)], channels: [NotificationChannel], now: Timestamp) -> [OutboxEntry] {
        var entries: [OutboxEntry] = []
        for (event, alert) in changes {
            for channel in channels where channel.wants(event, of: alert) {
                entries.append(
                    OutboxEntry(
                        id: UUID.v7(at: now),
                        channelID: channel.id,
                        alertID: alert.id,
                        event: event,
                        payload: alert.json,
                        nextAttemptAt: now,
                        createdAt: now,
                        updatedAt: now
                    )
                )
            }
        }
        return entries
    }
}

extension OutboxEntry {
    /// The message `POST /channels/{id}/test` sends: a made-up informational alert, not stored.
    public static func test(for channel: NotificationChannel, now: Timestamp) -> OutboxEntry {
        let alert = Alert(
            id: UUID.v7(at: now),
            ruleID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            ruleName: "Vigil test",
            title: "Vigil test notification for channel \(channel.name)",
            severity: .info,
            groupKey: "test",
            count: 1,
            firstSeen: now,
            lastSeen: now,
            createdAt: now,
            updatedAt: now
        )
        return OutboxEntry(
            id: UUID.v7(at: now),
            channelID: channel.id,
            alertID: alert.id,
            event: .channelTest,
            payload: alert.json,
            nextAttemptAt: now,
            createdAt: now,
            updatedAt: now
        )
    }
}
