import VigilCore

/// Sends one notification to one channel's receiver and reports how it answered. Each kind of
/// channel has one sender; it owns its payload format and nothing else.
public protocol ChannelSender: Sendable {
    var kind: ChannelKind { get }

    /// One attempt; never throws — a failure is an attempt with an `error`.
    func send(_ entry: OutboxEntry, to channel: NotificationChannel) async -> DeliveryAttempt
}
