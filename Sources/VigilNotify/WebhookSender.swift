import AsyncHTTPClient
import NIOCore
import VigilCore

/// `POST`s `{type, timestamp, data}` to the channel's URL, signed per Standard Webhooks. The
/// `webhook-id` is the notification's id on every attempt (receivers deduplicate on it); the
/// timestamp and signature are fresh on each attempt. 2xx is delivered; anything else, a
/// timeout or no connection is a failed attempt.
public struct WebhookSender: ChannelSender {
    public let kind = ChannelKind.webhook
    let poster: JSONPoster

    public init(client: HTTPClient, timeout: TimeAmount = .seconds(10), destinations: DestinationPolicy = .init(allowInternal: false)) {
        self.poster = JSONPoster(client: client, timeout: timeout, destinations: destinations)
    }

    public func send(_ notifications: [OutboxEntry], to channel: NotificationChannel) async -> DeliveryAttempt {
        let clock = AttemptClock()
        guard case .webhook(let url, let secret) = channel.config else { return clock.attempt(nil, "not a webhook channel") }
        // Webhook channels are unpaced: every claim is one notification.
        guard notifications.count == 1, let entry = notifications.first else { return clock.attempt(nil, "one notification per webhook") }
        let body = Array(Self.body(entry, at: clock.at).utf8)
        let id = "msg_" + entry.id.lowercased
        let timestamp = clock.at.microseconds / 1_000_000
        guard let signature = WebhookSignature.sign(id: id, timestamp: timestamp, body: body, secret: secret) else {
            return clock.attempt(nil, "the channel's secret is not a whsec_ secret")
        }
        let headers = [
            ("User-Agent", "Vigil-Webhooks/1"), ("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature),
        ]
        return await self.poster.post(body, to: url, headers: headers, clock: clock)
    }

    /// `{"type": event, "timestamp": RFC 3339, "data": alert}`.
    static func body(_ entry: OutboxEntry, at time: Timestamp) -> String {
        var writer = JSONWriter()
        writer.object { object in
            object.field("type", entry.event.rawValue)
            object.field("timestamp", time.rfc3339)
            object.rawField("data", entry.payload)
        }
        return writer.output
    }
}
