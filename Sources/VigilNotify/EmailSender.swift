import Foundation
import NIOCore
import VigilCore

/// Mails notifications through the channel's SMTP server: text and HTML bodies naming the
/// rule, the address or principal, the count and time window, recent evidence and recommended
/// actions. Paced (`ChannelKind.email.pace`): a burst arrives as one summary mail that counts
/// every notification and details the most severe.
public struct EmailSender: ChannelSender {
    public let kind = ChannelKind.email
    /// Notifications described in full (with evidence) in one mail; the rest are listed.
    static let detailed = 5
    static let evidenceShown = 10
    static let listed = 50
    let client: SMTPClient
    let alerts: any AlertStore

    /// `extraTrustRoots`: PEM files of CAs trusted besides the system's, for relays with a
    /// private CA.
    public init(
        group: any EventLoopGroup,
        alerts: any AlertStore,
        timeout: Duration = .seconds(10),
        extraTrustRoots: [String] = [],
        destinations: DestinationPolicy = .init(allowInternal: false)
    ) {
        self.client = SMTPClient(group: group, timeout: timeout, extraTrustRoots: extraTrustRoots, destinations: destinations)
        self.alerts = alerts
    }

    public func send(_ notifications: [OutboxEntry], to channel: NotificationChannel) async -> DeliveryAttempt {
        let clock = AttemptClock()
        guard case .email(let settings) = channel.config else { return clock.attempt(nil, "not an email channel") }
        let digest = NoticeDigest(notifications)
        var evidence: [String: [AlertEvidence]] = [:]
        for notice in digest.notices.prefix(Self.detailed) where notice.event != .channelTest {
            if let id = UUID(uuidString: notice.alertID), let detail = try? await self.alerts.alert(id: id) {
                evidence[notice.alertID] = Array(detail.evidence.suffix(Self.evidenceShown))
            }
        }
        let message = EmailMessage(
            from: settings.from,
            to: settings.to,
            subject: "[Vigil] " + digest.headline,
            text: Self.text(digest, evidence: evidence),
            html: Self.html(digest, evidence: evidence),
            date: Date(),
            id: (notifications.first?.id ?? UUID()).lowercased
        )
        do {
            let code = try await self.client.send(message.rendered(), from: settings.from, to: settings.to, settings: settings)
            return clock.attempt(code, nil)
        } catch {
            return clock.attempt(error.code, error.phrase)
        }
    }

    static func text(_ digest: NoticeDigest, evidence: [String: [AlertEvidence]]) -> String {
        var lines = [digest.headline, ""]
        if !digest.isSingle {
            lines += digest.lines(limit: listed).map { "- " + $0 } + [""]
        }
        for notice in digest.notices.prefix(detailed) {
            lines.append("== \(notice.title)")
            lines += facts(notice).map { "\($0.0): \($0.1)" }
            if let items = evidence[notice.alertID], !items.isEmpty {
                lines.append("Evidence (latest \(items.count)):")
                lines += items.map { "  \($0.occurredAt.rfc3339)  \($0.summary)" }
            }
            if notice.event != .channelTest {
                lines.append("Recommended actions:")
                lines += RecommendedActions.list(for: notice).map { "  * " + $0 }
            }
            lines.append("")
        }
        lines.append("Sent by Vigil. Every notification is listed in GET /api/v1/deliveries.")
        return lines.joined(separator: "\n")
    }

    static func html(_ digest: NoticeDigest, evidence: [String: [AlertEvidence]]) -> String {
        var html = "<!doctype html><html><body style=\"font-family:sans-serif\"><h2>\(escape(digest.headline))</h2>"
        if !digest.isSingle {
            html += "<ul>" + digest.lines(limit: listed).map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        }
        for notice in digest.notices.prefix(detailed) {
            html += "<h3>\(escape(notice.title))</h3><table>"
            html += facts(notice).map { "<tr><th align=\"left\">\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined()
            html += "</table>"
            if let items = evidence[notice.alertID], !items.isEmpty {
                html += "<p><b>Evidence (latest \(items.count))</b></p><ul>"
                html += items.map { "<li><code>\(escape($0.occurredAt.rfc3339))</code> \(escape($0.summary))</li>" }.joined()
                html += "</ul>"
            }
            if notice.event != .channelTest {
                html += "<p><b>Recommended actions</b></p><ol>"
                html += RecommendedActions.list(for: notice).map { "<li>\(escape($0))</li>" }.joined() + "</ol>"
            }
        }
        return html + "<p style=\"color:#666\">Sent by Vigil.</p></body></html>"
    }

    /// Rule, severity, status, who/where, how many times and when.
    static func facts(_ notice: AlertNotice) -> [(String, String)] {
        var facts = [("Rule", notice.ruleName), ("Severity", notice.severity.rawValue), ("Status", notice.status)]
        if !notice.groupKey.isEmpty { facts.append(("Source", notice.groupKey.replacingOccurrences(of: "&", with: ", "))) }
        facts += [("Attempts", String(notice.count)), ("Window", "\(notice.firstSeen) to \(notice.lastSeen)"), ("Alert", notice.alertID)]
        if let assignee = notice.assignee { facts.append(("Assignee", assignee)) }
        return facts
    }

    static func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
