import Foundation

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
