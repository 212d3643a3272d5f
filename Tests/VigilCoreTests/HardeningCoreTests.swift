import Foundation
import Testing

@testable import VigilCore

/// Core decisions behind the security review's findings.
@Suite struct HardeningCoreTests {
    @Test func timesOutsideYearsOneToNineThousandNineHundredNinetyNineAreRefused() {
        #expect(Timestamp(rfc3339: "0000-12-31T23:59:59Z") == nil)
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00Z") == Timestamp.storable.lowerBound)
        #expect(Timestamp(rfc3339: "0001-01-01T00:59:59+01:00") == nil, "the offset moves it into year 0")
        #expect(Timestamp(rfc3339: "9999-12-31T23:59:59.999999Z") == Timestamp.storable.upperBound)
        #expect(Timestamp(rfc3339: "9999-12-31T23:00:00-01:00") == nil, "the offset moves it into year 10000")
        #expect(Timestamp(microseconds: .min).adding(seconds: -1).microseconds == .min)
        #expect(Timestamp(microseconds: 0).adding(seconds: .max).microseconds == .max)
        #expect(EventCursor(token: Base64URL.encode("e1|desc|-9223372036854775808|00000000-0000-7000-8000-000000000000".utf8)) == nil)
    }

    @Test func truncationCountsBytesAndKeepsScalarsWhole() {
        let bomb = "a" + String(repeating: "\u{0301}", count: 1000)
        #expect(bomb.count == 1 && bomb.utf8.count == 2001)
        let cut = bomb.truncated(toUTF8Bytes: 256)
        #expect(cut.utf8.count == 255, "a (1 byte) and 127 two-byte marks")
        #expect("héllo".truncated(toUTF8Bytes: 2) == "h", "never half a scalar")
        #expect("short".truncated(toUTF8Bytes: 256) == "short")
    }

    @Test func ipv6AddressesAreThrottledByTheirSlash64() {
        #expect(LoginThrottleKey(.ip, "2001:db8:1:2::1").value == LoginThrottleKey(.ip, "2001:db8:1:2:ffff::9").value)
        #expect(LoginThrottleKey(.ip, "2001:db8:1:2::1").value != LoginThrottleKey(.ip, "2001:db8:1:3::1").value)
        #expect(LoginThrottleKey(.ip, "192.0.2.7").value == "192.0.2.7")
        // Only ASCII is folded, the same on every engine and locale.
        #expect(LoginThrottleKey(.user, "İADMIN").value == "İadmin")
        #expect(LoginThrottleKey(.user, "ADMIN").value == "admin")
    }

    @Test func destinationsAreRefusedUnlessPublic() {
        for address in [
            "127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fe80::1", "fd00::1",
            "::ffff:127.0.0.1", "224.0.0.1",
        ] {
            #expect(!DestinationRule.isPublic(IPAddress(address)!), "\(address)")
        }
        for external in ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            #expect(DestinationRule.isPublic(IPAddress(external)!), "\(external)")
        }
    }

    @Test func oneRuleOpensAtMostItsStormLimitOfAlertsAMinute() throws {
        let rule = Rule(
            id: UUID(),
            name: "Any",
            description: "",
            severity: .fromEvent,
            match: RuleMatch(minSeverity: .high),
            threshold: nil,
            suppressSeconds: 300,
            createdAt: .now(),
            updatedAt: .now()
        )
        var engine = DetectionEngine(rules: [rule], stormLimit: 5)
        let start = try #require(Timestamp(rfc3339: "2026-03-01T00:00:00Z"))
        var ledger = AlertLedger(existing: [], now: start)
        for index in 0..<100 {
            let event = NewEvent(type: "flood", severity: .high, actor: "a\(index)").prepared(
                receivedAt: start.adding(seconds: Int64(index / 50)),
                ingestedBy: "user:test"
            ).event
            for trigger in engine.evaluate(event) { ledger.apply(trigger) }
        }
        let opened = ledger.openedAlerts
        #expect(opened.count == 6, "five alerts and one storm alert")
        let storm = try #require(opened.first { $0.groupKey == StormGuard.groupKey })
        #expect(storm.count == 95 && storm.title.hasPrefix("Alert storm: Any"))
        // The next minute opens up to five alerts again.
        let later = NewEvent(type: "flood", severity: .high, actor: "late").prepared(receivedAt: start.adding(seconds: 61), ingestedBy: "user:test")
            .event
        #expect(engine.evaluate(later).map(\.groupKey) == ["event=\(later.id.lowercased)"])
    }

    @Test func rowsThatDoNotDecodeFailLoudly() {
        #expect(throws: CorruptRow.self) { try [1, 2, 3].decodeAll(table: "t") { $0 == 2 ? nil : $0 } }
        #expect((try? [1, 2].decodeAll(table: "t") { $0 }) == [1, 2])
    }

    @Test func aLoginGateAdmitsOneCheckPerUsername() {
        let gate = LoginGate(perUsername: 1, perAddress: 2)
        let bob = [LoginThrottleKey(.ip, "192.0.2.1"), LoginThrottleKey(.user, "bob")]
        let pass = gate.enter(bob)
        #expect(pass != nil)
        #expect(gate.enter(bob) == nil)
        #expect(gate.enter([LoginThrottleKey(.ip, "192.0.2.1"), LoginThrottleKey(.user, "carol")]) != nil)
        #expect(gate.enter([LoginThrottleKey(.ip, "192.0.2.1"), LoginThrottleKey(.user, "dave")]) == nil, "two per address")
        gate.leave(pass!)
        #expect(gate.enter(bob) != nil)
    }
}
