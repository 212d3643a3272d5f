import Foundation
import Testing
import VigilCore

@Suite struct NotificationModelTests {
    static let now = DetectionTests.base

    static func channel(_ json: String) -> Result<NotificationChannel, ValidationFailure> {
        NotificationChannel.validate(try! JSONParser.parse(Array(json.utf8)), onto: nil, now: now)
    }

    @Test func channelsValidateAndKeepSecretsOutOfTheirJSON() throws {
        let channel = try Self.channel(#"{"name":"SOC","kind":"webhook","config":{"url":"https://hooks.example/x"},"min_severity":"high"}"#).get()
        guard case .webhook(let url, let secret) = channel.config else {
            Issue.record("not a webhook")
            return
        }
        #expect(url == "https://hooks.example/x")
        #expect(NotificationChannel.webhookSecretBytes(secret)?.count == 32, "a generated secret: whsec_ + base64 of 32 bytes")
        #expect(!channel.json().contains(secret) && channel.json().contains(#""secret_set":true"#))
        #expect(channel.json(revealSecret: true).contains(secret))
        // Stored and read back (the secret is part of the stored definition).
        #expect(
            NotificationChannel.stored(id: channel.id, definition: channel.definition.canonicalJSON, createdAt: Self.now, updatedAt: Self.now)
                == channel
        )
        // A PATCH without a secret keeps it; the URL changes.
        let patched = try NotificationChannel.validate(
            try JSONParser.parse(Array(#"{"config":{"url":"http://127.0.0.1:9/y"}}"#.utf8)),
            onto: channel,
            now: Self.now
        ).get()
        #expect(patched.config == .webhook(url: "http://127.0.0.1:9/y", secret: secret))

        guard
            case .failure(let failure) = Self.channel(
                #"{"name":"","kind":"pager","config":{},"min_severity":"x","rule_ids":["no"],"events":["alert.deleted"],"colour":1}"#
            )
        else {
            Issue.record("accepted a bad channel")
            return
        }
        #expect(Set(failure.errors.map(\.field)) == ["name", "kind", "min_severity", "rule_ids[0]", "events[0]", "colour"])
        guard case .failure(let bad) = Self.channel(#"{"name":"a","kind":"webhook","config":{"url":"ftp://x","secret":"nope","extra":1}}"#) else {
            Issue.record("accepted a bad config")
            return
        }
        #expect(Set(bad.errors.map(\.field)) == ["config.url", "config.secret", "config.extra"])
    }

    @Test func channelsChooseWhatTheyHear() throws {
        let alert = AlertUpdateTests.alert(.open)
        var channel = try Self.channel(
            #"{"name":"a","kind":"webhook","config":{"url":"https://x.example"},"min_severity":"high","events":["alert.created"]}"#
        ).get()
        #expect(channel.wants(.alertCreated, of: alert))
        #expect(!channel.wants(.alertUpdated, of: alert))
        var low = alert
        low.severity = .medium
        #expect(!channel.wants(.alertCreated, of: low))
        channel.ruleIDs = [UUID.v7()]
        #expect(!channel.wants(.alertCreated, of: alert))
        channel.ruleIDs.append(alert.ruleID)
        #expect(channel.wants(.alertCreated, of: alert))
        channel.enabled = false
        #expect(!channel.wants(.alertCreated, of: alert))
        let entries = OutboxEntry.plan(
            [(.alertCreated, alert), (.alertUpdated, alert)],
            channels: [
                channel,
                {
                    var on = channel
                    on.enabled = true
                    return on
                }(),
            ],
            now: Self.now
        )
        #expect(entries.map(\.event) == [.alertCreated])
        #expect(entries.first?.payload == alert.json && entries.first?.status == .pending && entries.first?.nextAttemptAt == Self.now)
    }

    @Test func escalationsAreCountsCrossingTenHundredThousand() {
        #expect(NotificationEvent.escalation(from: 9, to: 10) == 10)
        #expect(NotificationEvent.escalation(from: 10, to: 11) == nil)
        #expect(NotificationEvent.escalation(from: 5, to: 150) == 100)
        #expect(NotificationEvent.escalation(from: 999, to: 1000) == 1000)
        let rule = DetectionTests.bruteForce()
        var ledger = AlertLedger(existing: [], now: Self.now)
        for trigger in AlertLedgerTests.triggers(AlertLedgerTests.failures(9, ip: "10.0.0.1"), rules: [rule]) { ledger.apply(trigger) }
        let opened = ledger.openedAlerts[0]
        #expect(opened.count == 9 && ledger.escalatedAlerts.isEmpty)
        var next = AlertLedger(existing: [opened], now: Self.now)
        var engine = DetectionEngine(rules: [rule])
        for event in AlertLedgerTests.failures(11, ip: "10.0.0.1") {
            for trigger in engine.evaluate(event) where event.occurredAt.microseconds >= DetectionTests.base.adding(seconds: 9).microseconds {
                next.apply(trigger)
            }
        }
        #expect(next.updatedAlerts.map(\.count) == [11])
        #expect(next.escalatedAlerts.map(\.id) == [opened.id])
    }

    @Test func retriesBackOffOverAboutAnHourThenStop() {
        let policy = RetryPolicy()
        let delays = (1...10).map { policy.delay(afterAttempt: $0, jitter: 0) }
        #expect(delays.last! == nil)
        let total = delays.compactMap { $0 }.reduce(0, +)
        #expect(total > 3000 && total < 4200, "\(total) s")
        #expect(policy.delay(afterAttempt: 1, jitter: 0) == 7)
        #expect(policy.delay(afterAttempt: 2, jitter: 0.2) == 16.8)
    }
}
