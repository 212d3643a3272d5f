import Foundation

/// Durable notification channels. Names are unique (ignoring case).
public protocol ChannelStore: Sendable {
    /// Every channel, oldest first.
    func channels() async throws -> [NotificationChannel]
    func channel(id: UUID) async throws -> NotificationChannel?
    /// Throws `VigilError.channelNameTaken` if the name is in use.
    func createChannel(_ channel: NotificationChannel) async throws
    /// Replaces the channel with the same id; returns it as it was (nil if none).
    func updateChannel(_ channel: NotificationChannel) async throws -> NotificationChannel?
    /// Deletes the channel and its undelivered notifications; returns it (nil if none).
    func deleteChannel(id: UUID) async throws -> NotificationChannel?

    /// Moves the channel's Telex tick mark to `now` and returns where it was (nil on the first
    /// tick, or when there is no such channel): the digest of this tick covers
    /// `[previous, now)`. Concurrent ticks get disjoint windows.
    func advanceTick(channelID: UUID, to now: Timestamp) async throws -> Timestamp?

    /// Puts the tick mark back from `now` to `previous` (its digest could not be delivered, so
    /// the next tick covers it again) — unless another tick moved it since.
    func rewindTick(channelID: UUID, from now: Timestamp, to previous: Timestamp?) async throws
}

extension VigilError {
    public static let channelNameTaken = VigilError.conflict(code: "channel_name_taken", detail: "A channel with this name exists.")
}
