import AsyncHTTPClient
import Foundation
import NIOCore
import VigilCore

/// Posts to a Slack incoming webhook: `{"text": …}` in Slack's mrkdwn, one notification in
/// detail or a burst as one summary that counts every notification and lists the most severe.
/// The channel is paced (one message a second at most, `ChannelKind.slack.pace`); the text is
/// kept under Slack's 4,000-character guidance whatever the burst, and a 429 `Retry-After`
/// holds the channel back as long as Slack asks.
public struct SlackSender: ChannelSender {
    public let kind = ChannelKind.slack
    /// Lines listed in a summary before "… and N more".
    static let summaryLines = 20
    static let maxCharacters = 3_500
    let poster: JSONPoster

    public init(client: HTTPClient, timeout: TimeAmount = .seconds(10), destinations: DestinationPolicy = .init(allowInternal: false)) {
        self.poster = JSONPoster(client: client, timeout: timeout, destinations: destinations)
    }

    public func send(_ notifications: [OutboxEntry], to channel: NotificationChannel) async -> DeliveryAttempt {
        guard case .slack(let url) = channel.config else { return AttemptClock().attempt(nil, "not a Slack channel") }
        var writer = JSONWriter()
        writer.object { $0.field("text", Self.text(NoticeDigest(notifications))) }
        return await self.poster.post(writer.bytes, to: url)
    }

    /// The message text (mrkdwn; `&`, `<`, `>` escaped as Slack requires).
    static func text(_ digest: NoticeDigest) -> String {
        let icon = digest.severity >= .high ? ":rotating_light: " : ":warning: "
        var lines = ["\(icon)*\(escape(digest.headline))*"]
        if digest.isSingle {
            lines += digest.detailLines.map(escape)
        } else {
            lines += digest.lines(limit: summaryLines).map { "• " + escape($0) }
        }
        var text = ""
        for line in lines {
            guard text.count + line.count + 1 <= maxCharacters else {
                text += "\n…"
                break
            }
            text += text.isEmpty ? line : "\n" + line
        }
        return text
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
