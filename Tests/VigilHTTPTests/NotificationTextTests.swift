import Foundation
import Testing
import VigilCore

@testable import VigilNotify

/// What people read: Slack and Telex summaries, email bodies and their SMTP framing.
@Suite struct NotificationTextTests {
    static func entry(_ event: NotificationEvent = .alertCreated, severity: Severity, title: String, group: String = "ip=203.0.113.9") -> OutboxEntry
    {
        let now = Timestamp.now()
        let alert = Alert(
            id: UUID.v7(),
            ruleID: UUID.v7(),
            ruleName: "Brute-force login",
            title: title,
            severity: severity,
            groupKey: group,
            count: 5,
            firstSeen: now,
            lastSeen: now,
            createdAt: now,
            updatedAt: now
        )
        return OutboxEntry(
            id: UUID.v7(),
            channelID: UUID.v7(),
            alertID: alert.id,
            event: event,
            payload: alert.json,
            nextAttemptAt: now,
            createdAt: now,
            updatedAt: now
        )
    }

    @Test func aBurstBecomesOneSummaryThatCountsEveryNotification() {
        var entries = (0..<120).map { Self.entry(severity: .high, title: "failures <\($0)> & more") }
        entries.insert(Self.entry(.alertEscalated, severity: .critical, title: "the worst"), at: 60)
        let text = SlackSender.text(NoticeDigest(entries))
        #expect(text.hasPrefix(":rotating_light: *121 alert notifications: 120 opened, 1 escalated — 120 high, 1 critical*"), "\(text.prefix(120))")
        #expect(text.split(separator: "\n")[1].contains("[CRITICAL] escalated: the worst"), "the most severe first")
        #expect(text.contains("… and 101 more"))
        #expect(text.count <= SlackSender.maxCharacters)
        #expect(text.contains("&lt;0&gt; &amp; more") && !text.contains("<0>"), "Slack's control characters escaped")
        let single = SlackSender.text(NoticeDigest([Self.entry(severity: .medium, title: "one")]))
        #expect(single.hasPrefix(":warning: *[MEDIUM] Alert opened: one*") && single.contains("Group: ip=203.0.113.9"))
    }

    @Test func telexBodiesHaveTheFourFields() throws {
        let body = TelexSender.body(NoticeDigest([Self.entry(severity: .high, title: "five failures")]))
        guard case .object(let fields) = try JSONParser.parse(body) else {
            Issue.record("not an object")
            return
        }
        #expect(Set(fields.keys) == ["event_name", "message", "status", "username"])
        #expect(fields["status"] == .string("error") && fields["username"] == .string("Vigil"))
        #expect(fields["event_name"] == .string("Vigil alert opened"))
    }

    @Test func emailsCarryTextAndHTMLAndNothingCanAddAHeader() throws {
        let entry = Self.entry(severity: .critical, title: "evil\r\nBcc: everyone@example.org")
        let digest = NoticeDigest([entry])
        let evidence = [AlertEvidence(eventID: UUID.v7(), occurredAt: .now(), summary: "auth.login.failed ip=203.0.113.9 actor=<b>mallory</b>")]
        let text = EmailSender.text(digest, evidence: [digest.notices[0].alertID: evidence])
        let html = EmailSender.html(digest, evidence: [digest.notices[0].alertID: evidence])
        for needle in ["Brute-force login", "203.0.113.9", "Attempts", "Recommended actions", "Evidence (latest 1)", "page the on-call"] {
            #expect(text.contains(needle) && html.contains(needle), "\(needle)")
        }
        #expect(html.contains("&lt;b&gt;mallory&lt;/b&gt;") && !html.contains("<b>mallory"))
        let message = EmailMessage(
            from: "vigil@example.org",
            to: ["soc@example.org"],
            subject: "[Vigil] " + digest.headline,
            text: text,
            html: html,
            date: Date(timeIntervalSince1970: 0),
            id: entry.id.lowercased
        ).rendered()
        let headers = message.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(!headers.contains { $0.hasPrefix("Bcc:") })
        #expect(headers.contains("Subject: [Vigil] [CRITICAL] Alert opened: evil Bcc: everyone@example.org"))
        #expect(headers.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(message.contains("Content-Type: text/plain; charset=utf-8") && message.contains("Content-Type: text/html; charset=utf-8"))
        #expect(message.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
        #expect(EmailMessage.encodedHeader("Größe ⚠️") == "=?UTF-8?B?R3LDtsOfZSDimqDvuI8=?=")
    }

    @Test func dataLinesThatStartWithADotAreDoubled() {
        #expect(SMTPClient.dotStuffed("a\r\n.\r\n.b\nc") == "a\r\n..\r\n..b\r\nc\r\n")
    }
}
