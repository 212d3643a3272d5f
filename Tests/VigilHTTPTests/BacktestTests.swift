import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import VigilHTTP

/// `POST /rules/{id}/test` and `/rules/test`: the live detector's code over stored history.
@Suite struct BacktestTests {
    static func stamp(_ secondsAgo: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: -secondsAgo))
    }

    @Test func backtestMatchesWhatLiveDetectionRaised() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            // Three addresses over the last hour: 7 failures in 42 s (one alert, count 7), 4
            // failures in 21 s (no alert), and 5 + 5 failures 200 s apart (the second five
            // fill a new window whose fifth event adds to the still open alert: count 6).
            var events: [String] = []
            for index in 0..<7 {
                events.append(#"{"type":"auth.login.failed","ip":"10.1.0.1","occurred_at":"\#(Self.stamp(3000 - Double(index) * 7))"}"#)
            }
            for index in 0..<4 {
                events.append(#"{"type":"auth.login.failed","ip":"10.1.0.2","occurred_at":"\#(Self.stamp(2000 - Double(index) * 7))"}"#)
            }
            for index in 0..<5 {
                events.append(#"{"type":"auth.login.failed","ip":"10.1.0.3","occurred_at":"\#(Self.stamp(1500 - Double(index)))"}"#)
            }
            for index in 0..<5 {
                events.append(#"{"type":"auth.login.failed","ip":"10.1.0.3","occurred_at":"\#(Self.stamp(1300 - Double(index)))"}"#)
            }
            let batch = try await client.request(.post, "/api/v1/events/batch", token: admin, json: "[" + events.joined(separator: ",") + "]")
            #expect(batch.status == .created || batch.status == .ok, "\(batch.text)")
            try await client.waitForDetection(admin)
            let live = try await client.alerts(admin, "q=Brute&order=asc")

            let rules = try await client.request(.get, "/api/v1/rules", token: admin).object()["items"] as? [[String: Any]]
            let brute = try #require(rules?.first { $0["name"] as? String == "Brute-force login" }?["id"] as? String)
            let response = try await client.request(
                .post,
                "/api/v1/rules/\(brute)/test",
                token: admin,
                json: #"{"from":"\#(Self.stamp(7200))","to":"\#(Self.stamp(-60))"}"#
            )
            #expect(response.status == .ok, "\(response.text)")
            let result = try response.object()
            #expect(result["events_scanned"] as? Int ?? 0 >= 21)
            #expect(result["truncated"] as? Bool == false)
            let tested = try #require(result["alerts"] as? [[String: Any]])
            func summary(_ alerts: [[String: Any]]) -> [String] {
                alerts.map {
                    "\($0["group_key"] ?? "")|\($0["count"] ?? "")|\($0["first_seen"] ?? "")|\($0["last_seen"] ?? "")|\($0["severity"] ?? "")"
                }
                .sorted()
            }
            #expect(live.count == 2)
            #expect(summary(tested) == summary(live))
            #expect(Set(live.compactMap { $0["group_key"] as? String }) == ["ip=10.1.0.1", "ip=10.1.0.3"])
        }
    }

    @Test func unsavedRulesAndEditsAreTestedWithoutSideEffects() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            for actor in ["root", "root", "root", "alice"] {
                #expect(try await client.ingest(admin, #"{"type":"ssh.login","actor":"\#(actor)","ip":"10.9.9.9"}"#).status == .created)
            }
            try await client.waitForDetection(admin)
            let alertsBefore = try await client.alerts(admin).count
            let eventsBefore = try await client.request(.get, "/api/v1/events?limit=1000", token: admin).object()["items"] as? [Any]

            let unsaved =
                #"{"rule":{"name":"Root SSH","severity":"high","match":{"types":["ssh.*"],"actors":["root"]},"threshold":{"count":3,"window_seconds":60,"group_by":["actor","ip"]}}}"#
            let response = try await client.request(.post, "/api/v1/rules/test", token: admin, json: unsaved)
            #expect(response.status == .ok, "\(response.text)")
            let alerts = try #require(try response.object()["alerts"] as? [[String: Any]])
            #expect(alerts.count == 1)
            #expect(alerts.first?["group_key"] as? String == "actor=root&ip=10.9.9.9")
            #expect(alerts.first?["title"] as? String == "Root SSH: actor=root ip=10.9.9.9")
            #expect((alerts.first?["evidence"] as? [Any])?.count == 3)

            // An edit of a saved rule, tried before saving: the brute-force rule at count 3 on ssh events.
            let rules = try await client.request(.get, "/api/v1/rules", token: admin).object()["items"] as? [[String: Any]]
            let brute = try #require(rules?.first { $0["name"] as? String == "Brute-force login" }?["id"] as? String)
            let edit = #"{"rule":{"match":{"types":["ssh.login"]},"threshold":{"count":4,"window_seconds":60,"group_by":["ip"]}}}"#
            let edited = try await client.request(.post, "/api/v1/rules/\(brute)/test", token: admin, json: edit)
            #expect((try edited.object()["alerts"] as? [[String: Any]])?.first?["count"] as? Int == 4)

            // Nothing was written: no alert, no event, the saved rule unchanged.
            #expect(try await client.alerts(admin).count == alertsBefore)
            let eventsAfter = try await client.request(.get, "/api/v1/events?limit=1000", token: admin).object()["items"] as? [Any]
            #expect(eventsAfter?.count == eventsBefore?.count)
            let saved = try await client.request(.get, "/api/v1/rules/\(brute)", token: admin).object()
            #expect((saved["threshold"] as? [String: Any])?["count"] as? Int == 5)

            let bad = try await client.request(
                .post,
                "/api/v1/rules/test",
                token: admin,
                json: #"{"from":"yesterday","rule":{"name":"x","severity":"bad","match":{}},"extra":1}"#
            )
            try bad.expectProblem(.badRequest, code: "validation_failed")
            #expect(Set(try bad.errorFields()) == ["from", "rule.severity", "extra"])
            let span = try await client.request(
                .post,
                "/api/v1/rules/\(brute)/test",
                token: admin,
                json: #"{"from":"2020-01-01T00:00:00Z","to":"2020-03-01T00:00:00Z"}"#
            )
            #expect(try span.errorFields() == ["from"])
            try await client.request(.post, "/api/v1/rules/test", token: admin, json: "{}").expectProblem(.badRequest, code: "validation_failed")
            let user = try await client.makeUser("uma")
            try await client.request(.post, "/api/v1/rules/\(brute)/test", token: user, json: "{}").expectProblem(.forbidden, code: "forbidden")
        }
    }
}
