import Foundation
import Testing
import VigilCore

@Suite struct RuleValidationTests {
    let now = Timestamp(rfc3339: "2026-05-01T00:00:00Z")!

    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    func errors(_ text: String, onto base: Rule? = nil) throws -> [String] {
        switch Rule.validate(try self.parse(text), onto: base, now: self.now) {
        case .success: []
        case .failure(let failure): failure.errors.map(\.field)
        }
    }

    @Test func fullRuleIsAccepted() throws {
        let json = """
            {"name":" SSH brute force ","description":"d","enabled":true,"severity":"from_event",
             "match":{"types":["auth.login.failed","ssh.*"],"min_severity":"LOW","sources":["sshd"],"outcome":"failure",
                      "actors":["root"],"ip_cidrs":["10.0.0.0/8","2001:db8::/32"],"details":{"port":22,"ok":false,"user":"x"}},
             "threshold":{"count":5,"window_seconds":60,"group_by":["ip","actor"]},"suppress_seconds":600}
            """
        let rule = try Rule.validate(try self.parse(json), onto: nil, now: self.now).get()
        #expect(rule.name == "SSH brute force")
        #expect(rule.severity == .fromEvent)
        #expect(rule.match.types == ["auth.login.failed"])
        #expect(rule.match.typePrefixes == ["ssh."])
        #expect(rule.match.minSeverity == .low)
        #expect(rule.match.outcome == .failure)
        #expect(rule.match.ipRanges.count == 2)
        #expect(rule.match.details == ["port": "22", "ok": "false", "user": "x"])
        #expect(rule.threshold == RuleThreshold(count: 5, windowSeconds: 60, groupBy: [.ip, .actor]))
        #expect(rule.suppressSeconds == 600)
    }

    @Test func everyBadFieldIsNamed() throws {
        let json = """
            {"name":"","severity":"urgent","extra":1,
             "match":{"types":["ok","bad type"],"min_severity":"nope","ip_cidrs":["x"],"details":{"k":[1]},"colour":"red"},
             "threshold":{"count":0,"group_by":["ip","ip","nose"]},"suppress_seconds":-1}
            """
        #expect(
            Set(try self.errors(json)) == [
                "name", "severity", "extra", "match.types[1]", "match.min_severity", "match.ip_cidrs[0]", "match.details.k",
                "match.colour", "threshold.count", "threshold.window_seconds", "threshold.group_by[1]", "threshold.group_by[2]",
                "suppress_seconds",
            ]
        )
        #expect(Set(try self.errors("{}")) == ["name", "severity", "match"])
        #expect(try self.errors(#"{"name":"n","severity":"high","match":[]}"#) == ["match"])
        #expect(try self.errors(#"{"name":"n","severity":"high","match":{},"threshold":5}"#) == ["threshold"])
    }

    @Test func updatesChangeOnlyWhatIsGiven() throws {
        let rule = try #require(Rule.builtIn(now: self.now).first { $0.threshold != nil })
        let later = self.now.adding(seconds: 60)
        let updated = try Rule.validate(try self.parse(#"{"enabled":false,"threshold":null}"#), onto: rule, now: later).get()
        #expect(!updated.enabled)
        #expect(updated.threshold == nil)
        #expect(updated.name == rule.name && updated.match == rule.match && updated.id == rule.id)
        #expect(updated.updatedAt == later && updated.createdAt == rule.createdAt)
        #expect(try self.errors(#"{"name":5}"#, onto: rule) == ["name"])
    }
}
