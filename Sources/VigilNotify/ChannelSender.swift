import VigilCore

/// Sends one message to one channel's receiver and reports how it answered. Each kind of
/// channel has one sender; it owns its payload format and its transport. A sender may read
/// what its format needs (the email sender reads the alert's evidence) but never writes.
public protocol ChannelSender: Sendable {
    var kind: ChannelKind { get }

    /// One attempt of one message carrying `notifications` (never empty; more than one only on
    /// a paced channel, whose sender collapses them into one summary). Never throws — a
    /// failure is an attempt with an `error`.
    func send(_ notifications: [OutboxEntry], to channel: NotificationChannel) async -> DeliveryAttempt
}
