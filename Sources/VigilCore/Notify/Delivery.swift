/// A notification with its attempts, oldest first.
public struct Delivery: Sendable, Equatable {
    public var entry: OutboxEntry
    public var attempts: [DeliveryAttempt]

    public init(entry: OutboxEntry, attempts: [DeliveryAttempt]) {
        self.entry = entry
        self.attempts = attempts
    }
}
