import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

@testable import VigilHTTP

@Suite struct StatsTests {
    static let window = "from=2026-01-10T10:00:00Z&to=2026-01-10T13:00:00Z"

    /// Eight events in a past window (and one outside it) with known counts.
    static func seed(_ client: some TestClientProtocol, _ admin: String) async throws {
        let events = [
            #"{"type":"auth.login.failed","actor":"uma","ip":"192.0.2.1","source":"sshd","outcome":"failure","occurred_at":"2026-01-10T10:05:00Z"}"#,
            #"{"type":"auth.login.failed","actor":"uma","ip":"192.0.2.1","source":"sshd","outcome":"failure","occurred_at":"2026-01-10T10:06:30Z"}"#,
            #"{"type":"auth.login.failed","actor":"bob","ip":"192.0.2.2","source":"sshd","outcome":"failure","occurred_at":"2026-01-10T11:59:59Z"}"#,
            #"{"type":"auth.login.succeeded","actor":"uma","ip":"192.0.2.1","source":"sshd","outcome":"success","occurred_at":"2026-01-10T11:00:00Z"}"#,
            #"{"type":"file.read","actor":"bob","ip":"2001:db8::9","source":"app","severity":"high","occurred_at":"2026-01-10T12:30:00Z"}"#,
            #"{"type":"file.read","actor":"bob","source":"app","severity":"medium","occurred_at":"2026-01-10T12:31:00Z"}"#,
            #"{"type":"file.read","severity":"critical","occurred_at":"2026-01-10T12:59:59.999Z"}"#,
            #"{"type":"net.conn","actor":"carol","ip":"192.0.2.3","occurred_at":"2026-01-10T10:00:00Z"}"#,
            #"{"type":"net.conn","actor":"carol","ip":"192.0.2.3","occurred_at":"2026-01-10T13:00:00Z"}"#,
        ]
        #expect(
            try await client.request(.post, "/api/v1/events/batch", token: admin, json: "[" + events.joined(separator: ",") + "]").status == .created
        )
    }

    /// A ranked list (`[{key, count}]`) as `"key=count"` strings, in order; nil when the shape is wrong.
    static func ranked(_ value: Any?, _ key: String) -> [String]? {
        guard let rows = value as? [[String: Any]] else { return nil }
        var out: [String] = []
        for row in rows {
            guard let name = row[key] as? String, let count = row["count"] as? Int, row.count == 2 else { return nil }
            out.append("\(name)=\(count)")
        }
        return out
    }

    @Test func statsCountTheWindowByEveryField() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            try await Self.seed(client, admin)
            let response = try await client.request(.get, "/api/v1/stats?\(Self.window)&top=2", token: admin)
            #expect(response.status == .ok, "\(response.text)")
            let body = try response.object()
            #expect(body["from"] as? String == "2026-01-10T10:00:00.000000Z" && body["to"] as? String == "2026-01-10T13:00:00.000000Z")
            #expect(body["total"] as? Int == 8)
            #expect(body["by_type"] as? [String: Int] == ["auth.login.failed": 3, "auth.login.succeeded": 1, "file.read": 3, "net.conn": 1])
            #expect(body["by_severity"] as? [String: Int] == ["info": 5, "low": 0, "medium": 1, "high": 1, "critical": 1])
            #expect(body["by_outcome"] as? [String: Int] == ["success": 1, "failure": 3, "unknown": 4])
            #expect(body["by_source"] as? [String: Int] == ["sshd": 4, "app": 2])
            #expect(Self.ranked(body["top_ips"], "ip") == ["192.0.2.1=3", "192.0.2.2=1"])
            // A tie is broken by the key, so the order is stable.
            #expect(Self.ranked(body["top_actors"], "actor") == ["bob=3", "uma=3"])
            let failed = try #require(body["failed_logins"] as? [String: Any])
            #expect(failed["total"] as? Int == 3)
            #expect(Self.ranked(failed["top_ips"], "ip") == ["192.0.2.1=2", "192.0.2.2=1"])
            #expect(
                Self.ranked(body["timeline"], "start") == [
                    "2026-01-10T10:00:00.000000Z=3", "2026-01-10T11:00:00.000000Z=2", "2026-01-10T12:00:00.000000Z=3",
                ]
            )
            // The two high and critical events opened alerts (the detector runs in the app).
            var alerts: [String: Any] = [:]
            for _ in 0..<100 {
                let now = try await client.request(.get, "/api/v1/stats?\(Self.window)", token: admin).object()
                alerts = now["alerts"] as? [String: Any] ?? [:]
                if alerts["open"] as? Int == 2 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(alerts["open"] as? Int == 2)
            // Alerts are counted by when they were created: now, outside the 2026-01-10 window.
            #expect(alerts["by_status"] as? [String: Int] == ["open": 0, "acknowledged": 0, "resolved": 0, "dismissed": 0])
            let today = try await client.request(.get, "/api/v1/stats", token: admin).object()["alerts"] as? [String: Any]
            #expect(today?["by_status"] as? [String: Int] == ["open": 2, "acknowledged": 0, "resolved": 0, "dismissed": 0])
            #expect((today?["by_severity"] as? [String: Int])?["critical"] == 1)

            // Filters and minute buckets: widened to whole minutes, every bucket listed.
            let minutes = try await client.request(
                .get,
                "/api/v1/stats?from=2026-01-10T10:04:30Z&to=2026-01-10T10:06:31Z&bucket=minute&type=auth.login.failed",
                token: admin
            ).object()
            #expect(minutes["from"] as? String == "2026-01-10T10:04:00.000000Z" && minutes["to"] as? String == "2026-01-10T10:07:00.000000Z")
            #expect(minutes["total"] as? Int == 2)
            #expect(
                Self.ranked(minutes["timeline"], "start") == [
                    "2026-01-10T10:04:00.000000Z=0", "2026-01-10T10:05:00.000000Z=1", "2026-01-10T10:06:00.000000Z=1",
                ]
            )
        }
    }

    @Test func usersSeeTheirOwnEventsAndNoAlerts() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let uma = try await client.makeUser("uma")
            try await Self.seed(client, admin)
            // What was recorded under the name before uma's account existed is not hers to read.
            #expect(try await client.request(.get, "/api/v1/stats?\(Self.window)", token: uma).object()["total"] as? Int == 0)
            let fresh = [
                #"{"type":"auth.login.failed","actor":"uma","source":"sshd"}"#,
                #"{"type":"auth.login.failed","actor":"uma","source":"sshd"}"#,
                #"{"type":"auth.login.succeeded","actor":"uma","source":"sshd"}"#,
                #"{"type":"auth.login.failed","actor":"bob","source":"sshd"}"#,
                // Backdated to before the account: not hers either.
                #"{"type":"auth.login.failed","actor":"uma","source":"sshd","occurred_at":"\#(Timestamp.now().adding(seconds: -60).rfc3339)"}"#,
            ]
            #expect(
                try await client.request(.post, "/api/v1/events/batch", token: admin, json: "[" + fresh.joined(separator: ",") + "]").status
                    == .created
            )
            let mine = try await client.request(.get, "/api/v1/stats?source=sshd", token: uma).object()
            #expect(mine["total"] as? Int == 3)
            #expect(Self.ranked(mine["top_actors"], "actor") == ["uma=3"])
            #expect(mine["alerts"] is NSNull)
            // Another actor's filter intersects with the scope.
            #expect(try await client.request(.get, "/api/v1/stats?source=sshd&actor=bob", token: uma).object()["total"] as? Int == 0)
            try await client.makeAnalyst(admin: admin)
            let analyst = try await client.login("ann", "analyst-pass-1").token
            let all = try await client.request(.get, "/api/v1/stats?\(Self.window)", token: analyst).object()
            #expect(all["total"] as? Int == 8 && all["alerts"] is [String: Any])
            try await client.request(.get, "/api/v1/stats").expectProblem(.unauthorized, code: "unauthenticated")
        }
    }

    @Test func badParametersAreNamed() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let cases: [(String, Set<String>)] = [
                ("bucket=week&top=101", ["bucket", "top"]),
                ("top=0&limit=5&cursor=abc", ["top", "limit", "cursor"]),
                ("from=2026-01-10T10:00:00Z&to=2026-01-10T10:00:00Z", ["to"]),
                ("from=yesterday&severity=loud&nope=1", ["from", "severity", "nope"]),
                ("from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=minute", ["bucket"]),
                ("bucket=hour&bucket=day", ["bucket"]),
            ]
            for (query, fields) in cases {
                let response = try await client.request(.get, "/api/v1/stats?\(query)", token: admin)
                try response.expectProblem(.badRequest, code: "validation_failed")
                #expect(Set(try response.errorFields()) == fields, "\(query)")
            }
        }
    }
}
