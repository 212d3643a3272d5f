import Foundation
import Testing
import VigilCore

/// Deduplication, pure: the same code decides for both stores and for backtests.
@Suite struct AlertLedgerTests {
    static let now = DetectionTests.base.adding(seconds: 1000)

    static func triggers(_ events: [Event], rules: [Rule]) -> [Trigger] {
        var engine = DetectionEngine(rules: rules)
        return events.flatMap { engine.evaluate($0) }
    }

    static func failures(_ count: Int, ip: String, from start: Int64 = 0) -> [Event] {
        (0..<count).map { DetectionTests.event("auth.login.failed", at: start + Int64($0), ip: ip) }
    }

    @Test func aWindowOpensOneAlertAndLaterTriggersAddToIt() {
        var ledger = AlertLedger(existing: [], now: Self.now)
        let events = Self.failures(20, ip: "10.0.0.1")
        for trigger in Self.triggers(events, rules: [DetectionTests.bruteForce()]) { ledger.apply(trigger) }
        let alerts = ledger.openedAlerts
        #expect(alerts.count == 1)
        #expect(alerts.first?.count == 20)
        #expect(alerts.first?.firstSeen == events.first?.occurredAt && alerts.first?.lastSeen == events.last?.occurredAt)
        #expect(alerts.first?.groupKey == "ip=10.0.0.1" && alerts.first?.severity == .high && alerts.first?.status == .open)
        #expect(ledger.newEvidence[alerts[0].id]?.map(\.eventID) == events.map(\.id), "the window's 5, then one per trigger, oldest first")
        #expect(ledger.updatedAlerts.isEmpty)
    }

    @Test func evidenceStopsAtOneHundredWhileTheCountGoesOn() {
        var ledger = AlertLedger(existing: [], now: Self.now)
        var rule = DetectionTests.bruteForce()
        rule.threshold?.windowSeconds = 3600
        for trigger in Self.triggers(Self.failures(150, ip: "10.0.0.1"), rules: [rule]) { ledger.apply(trigger) }
        let alert = ledger.openedAlerts[0]
        #expect(alert.count == 150 && alert.evidenceCount == 100)
        #expect(ledger.newEvidence[alert.id]?.count == 100)
    }

    @Test func closedAlertsAbsorbOnlyWithinTheSuppressWindow() throws {
        let rule = DetectionTests.bruteForce()
        #expect(rule.suppressSeconds == 300)
        var ledger = AlertLedger(existing: [], now: Self.now)
        for trigger in Self.triggers(Self.failures(5, ip: "10.0.0.1"), rules: [rule]) { ledger.apply(trigger) }
        var resolved = try #require(ledger.openedAlerts.first)
        resolved.status = .resolved

        // 100 s after its last event: suppressed, it adds to the resolved alert (which stays resolved).
        var later = AlertLedger(existing: [resolved], now: Self.now)
        for trigger in Self.triggers(Self.failures(5, ip: "10.0.0.1", from: 104), rules: [rule]) { later.apply(trigger) }
        #expect(later.openedAlerts.isEmpty)
        #expect(later.updatedAlerts.map(\.count) == [6])
        #expect(later.updatedAlerts.first?.status == .resolved)

        // 400 s after: past suppress_seconds, a new alert.
        var much = AlertLedger(existing: [resolved], now: Self.now)
        for trigger in Self.triggers(Self.failures(5, ip: "10.0.0.1", from: 404), rules: [rule]) { much.apply(trigger) }
        #expect(much.openedAlerts.map(\.count) == [5])
        #expect(much.updatedAlerts.isEmpty)

        // An acknowledged alert absorbs whatever the time.
        var acknowledged = resolved
        acknowledged.status = .acknowledged
        var active = AlertLedger(existing: [acknowledged], now: Self.now)
        for trigger in Self.triggers(Self.failures(5, ip: "10.0.0.1", from: 5000), rules: [rule]) { active.apply(trigger) }
        #expect(active.openedAlerts.isEmpty && active.updatedAlerts.map(\.count) == [6])
    }

    @Test func groupsAndRulesAreSeparate() {
        var ledger = AlertLedger(existing: [], now: Self.now)
        let rules = Rule.builtIn(now: DetectionTests.base)
        var events = Self.failures(5, ip: "10.0.0.1") + Self.failures(4, ip: "10.0.0.2") + Self.failures(5, ip: "10.0.0.3")
        events.append(DetectionTests.event("malware.found", at: 10, severity: .critical))
        events.append(DetectionTests.event("malware.found", at: 11, severity: .high))
        for trigger in Self.triggers(events, rules: rules) { ledger.apply(trigger) }
        #expect(
            ledger.openedAlerts.map(\.groupKey).sorted()
                == ["event=\(events[15].id.lowercased)", "event=\(events[14].id.lowercased)", "ip=10.0.0.1", "ip=10.0.0.3"].sorted()
        )
        #expect(ledger.openedAlerts.filter { $0.ruleName == "High severity event" }.map(\.severity) == [.critical, .high])
    }

    @Test func alertAuditEventsAreNeverEvaluated() {
        var engine = DetectionEngine(rules: Rule.builtIn(now: DetectionTests.base))
        var own = DetectionTests.event("alert.created", at: 1, severity: .critical)
        own.ingestedBy = "vigil"
        #expect(engine.evaluate(own).isEmpty)
        var foreign = own
        foreign.ingestedBy = "siem"
        #expect(engine.evaluate(foreign).count == 1, "only Vigil's own alert records are skipped")
    }
}
