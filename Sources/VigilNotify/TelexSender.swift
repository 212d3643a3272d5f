import AsyncHTTPClient
import NIOCore
import VigilCore

/// Posts to a Telex channel webhook: `{event_name, message, status, username}`. Paced and
/// collapsed like Slack (`ChannelKind.telex.pace`). `status` is `error` while something needs
/// attention (an alert opened, escalated or reopened) and `success` otherwise (triage that
/// closed it, test messages).
public struct TelexSender: ChannelSender {
    public let kind = ChannelKind.telex
    static let summaryLines = 20
    let poster: JSONPoster

    public init(client: HTTPClient, timeout: TimeAmount = .seconds(10), destinations: DestinationPolicy = .init(allowInternal: false)) {
        self.poster = JSONPoster(client: client, timeout: timeout, destinations: destinations)
    }

    public func send(_ notifications: [OutboxEntry], to channel: NotificationChannel) async -> DeliveryAttempt {
        guard case .telex(let url, _) = channel.config else { return AttemptClock().attempt(nil, "not a Telex channel") }
        return await self.poster.post(Self.body(NoticeDigest(notifications)), to: url)
    }

    static func body(_ digest: NoticeDigest) -> [UInt8] {
        let needsAttention = digest.notices.contains { $0.event != .channelTest && ($0.status == "open" || $0.status == "acknowledged") }
        let message = ([digest.headline] + (digest.isSingle ? digest.detailLines : digest.lines(limit: summaryLines))).joined(separator: "\n")
        return Self.body(
            eventName: digest.isSingle ? "Vigil alert \(digest.notices.first?.happened ?? "")" : "Vigil alerts",
            message: message,
            status: needsAttention ? "error" : "success"
        )
    }

    /// The Telex message body.
    static func body(eventName: String, message: String, status: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("event_name", eventName)
            object.field("message", message)
            object.field("status", status)
            object.field("username", "Vigil")
        }
        return writer.bytes
    }
}
