import Foundation
import Testing
import VigilCore

@Suite struct DetectionTests {
    static let base = Timestamp(rfc3339: "2026-05-01T00:00:00Z")!

    static func event(
        _ type: String,
        at seconds: Int64,
        severity: Severity = .info,
        actor: String? = nil,
        ip: String? = nil,
        source: String? = nil,
        details: String = "{}"
    ) -> Event {
        Event(
            id: UUID.v7(),
            type: type,
            occurredAt: base.adding(seconds: seconds),
            receivedAt: base.adding(seconds: seconds),
            severity: severity,
            outcome: .failure,
            actor: actor,
            entityType: nil,
            entityID: nil,
            source: source,
            ip: ip,
            location: nil,
            description: nil,
            details: details,
            ingestedBy: "test"
        )
    }

    static func bruteForce() -> Rule {
        Rule.builtIn(now: base).first { $0.name == "Brute-force login" }!
    }

    @Test func fiveFailuresFromOneAddressInAMinuteTrigger() {
        var engine = DetectionEngine(rules: [Self.bruteForce()])
        let counts = (0..<20).map { engine.evaluate(Self.event("auth.login.failed", at: Int64($0 * 2), ip: "203.0.113.7")).count }
        #expect(counts == Array(repeating: 0, count: 4) + Array(repeating: 1, count: 16))
        let trigger = engine.evaluate(Self.event("auth.login.failed", at: 41, ip: "203.0.113.7")).first
        #expect(trigger?.groupKey == "ip=203.0.113.7")
        #expect(trigger?.severity == .high)
    }

    @Test func fourFailuresOrSlowFailuresOrOtherAddressesDoNot() {
        var engine = DetectionEngine(rules: [Self.bruteForce()])
        #expect((0..<4).flatMap { engine.evaluate(Self.event("auth.login.failed", at: Int64($0), ip: "10.0.0.1")) }.isEmpty)
        // Spread over more than a minute: never five within 60 s.
        #expect((0..<10).flatMap { engine.evaluate(Self.event("auth.login.failed", at: 100 + Int64($0) * 16, ip: "10.0.0.2")) }.isEmpty)
        // Two addresses, three each: separate groups.
        let mixed = (0..<6).flatMap {
            engine.evaluate(Self.event("auth.login.failed", at: 500 + Int64($0), ip: $0 % 2 == 0 ? "10.0.0.3" : "10.0.0.4"))
        }
        #expect(mixed.isEmpty)
        // A successful login is not a failure.
        #expect((0..<6).flatMap { _ in engine.evaluate(Self.event("auth.login.succeeded", at: 900, ip: "10.0.0.5")) }.isEmpty)
    }

    @Test func twoAddressesGiveTwoGroups() {
        var engine = DetectionEngine(rules: [Self.bruteForce()])
        var groups = Set<String>()
        for second in 0..<10 {
            for ip in ["10.1.1.1", "10.2.2.2"] {
                for trigger in engine.evaluate(Self.event("auth.login.failed", at: Int64(second), ip: ip)) { groups.insert(trigger.groupKey) }
            }
        }
        #expect(groups == ["ip=10.1.1.1", "ip=10.2.2.2"])
    }

    @Test func highSeverityEventsEachRaiseTheirOwnAlert() {
        var engine = DetectionEngine(rules: Rule.builtIn(now: Self.base))
        let critical = Self.event("ids.alert", at: 1, severity: .critical)
        let high = Self.event("ids.alert", at: 2, severity: .high)
        let medium = Self.event("ids.alert", at: 3, severity: .medium)
        let triggers = [critical, high, medium].flatMap { engine.evaluate($0) }
        #expect(triggers.map(\.severity) == [.critical, .high])
        #expect(Set(triggers.map(\.groupKey)).count == 2)
        #expect(triggers.first?.groupKey == "event=\(critical.id.lowercased)")
    }

    @Test func disabledRulesNeverTrigger() {
        var rule = Self.bruteForce()
        rule.enabled = false
        var engine = DetectionEngine(rules: [rule])
        #expect((0..<10).flatMap { engine.evaluate(Self.event("auth.login.failed", at: Int64($0), ip: "10.0.0.1")) }.isEmpty)
    }

    @Test func matchConditions() throws {
        let match = RuleMatch(
            typePrefixes: ["auth."],
            minSeverity: .medium,
            sources: ["sshd"],
            ipRanges: [try #require(CIDRRange("10.0.0.0/8"))],
            details: ["port": "22"]
        )
        #expect(match.matches(Self.event("auth.login.failed", at: 0, severity: .high, ip: "10.9.9.9", source: "sshd", details: #"{"port":22}"#)))
        #expect(match.matches(Self.event("auth.x", at: 0, severity: .medium, ip: "10.9.9.9", source: "sshd", details: #"{"port":"22"}"#)))
        #expect(!match.matches(Self.event("authz.x", at: 0, severity: .high, ip: "10.9.9.9", source: "sshd", details: #"{"port":22}"#)))
        #expect(!match.matches(Self.event("auth.x", at: 0, severity: .low, ip: "10.9.9.9", source: "sshd", details: #"{"port":22}"#)))
        #expect(!match.matches(Self.event("auth.x", at: 0, severity: .high, ip: "11.0.0.1", source: "sshd", details: #"{"port":22}"#)))
        #expect(!match.matches(Self.event("auth.x", at: 0, severity: .high, ip: "10.9.9.9", source: "web", details: #"{"port":22}"#)))
        #expect(!match.matches(Self.event("auth.x", at: 0, severity: .high, ip: "10.9.9.9", source: "sshd", details: #"{"port":23}"#)))
        #expect(!match.matches(Self.event("auth.x", at: 0, severity: .high, source: "sshd", details: #"{"port":22}"#)))
        #expect(RuleMatch().matches(Self.event("anything", at: 0)))
    }

    /// Records an event at `seconds` into group "g" of `rule`; returns the fullest window's count.
    static func record(_ windows: inout ThresholdWindows, _ rule: UUID, at seconds: Int64) -> Int {
        windows.record(
            rule: rule,
            group: "g",
            AlertEvidence(eventID: UUID(), occurredAt: base.adding(seconds: seconds), summary: ""),
            windowSeconds: 60
        )
        .count
    }

    @Test func windowsCountOutOfOrderEventsAndForgetOldOnes() {
        var windows = ThresholdWindows()
        let rule = UUID()
        #expect(Self.record(&windows, rule, at: 100) == 1)
        // Late: the window [50, 110] holds it and the event at 100.
        #expect(Self.record(&windows, rule, at: 50) == 2)
        #expect(Self.record(&windows, rule, at: 90) == 3)
        // [100, 160] holds two; nothing holds 50 and 160 together.
        #expect(Self.record(&windows, rule, at: 160) == 2)
        windows.prune(keepingSeconds: 60)
        // 50 and 90 are forgotten (older than 160 - 60); [40, 100] holds 40 and 100.
        #expect(Self.record(&windows, rule, at: 40) == 2)
        #expect(windows.groupCount == 1)
    }

    @Test func lateEventsCompleteTheWindowsTheyFallIn() {
        var windows = ThresholdWindows()
        let rule = UUID()
        // Committed newest first (another node's commit arrived late): the fifth still fills a window.
        #expect((0..<5).map { Self.record(&windows, rule, at: 9 - Int64($0)) } == [1, 2, 3, 4, 5])
        // 100 s later a different window: alone.
        #expect(Self.record(&windows, rule, at: 109) == 1)
    }

    @Test func groupKeysCannotCollide() {
        let threshold = RuleThreshold(count: 2, windowSeconds: 60, groupBy: [.actor, .source])
        let a = threshold.groupKey(for: Self.event("t", at: 0, actor: "x&source=y", source: "z"))
        let b = threshold.groupKey(for: Self.event("t", at: 0, actor: "x", source: "y&source=z"))
        #expect(a != b)
    }
}
