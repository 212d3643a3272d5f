import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import VigilHTTP

@Suite struct RulesTests {
    static let custom = """
        {"name":"SSH root logins","severity":"high","match":{"types":["ssh.*"],"actors":["root"],"ip_cidrs":["10.0.0.0/8"]},
         "threshold":{"count":3,"window_seconds":120,"group_by":["ip"]},"suppress_seconds":60}
        """

    @Test func builtInRulesAreInstalledAndReadableByAnalysts() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            try await client.makeAnalyst(admin: admin)
            let analyst = try await client.login("ann", "analyst-pass-1").token
            let list = try await client.request(.get, "/api/v1/rules", token: analyst)
            #expect(list.status == .ok)
            let items = try #require(try list.object()["items"] as? [[String: Any]])
            #expect(
                items.map { $0["name"] as? String } == ["High severity event", "Brute-force login", "Repeated access denied", "Refresh token reuse"]
            )
            let brute = items[1]
            #expect(brute["severity"] as? String == "high")
            let threshold = try #require(brute["threshold"] as? [String: Any])
            #expect(threshold["count"] as? Int == 5 && threshold["window_seconds"] as? Int == 60)
            #expect(threshold["group_by"] as? [String] == ["ip"])
            #expect((items[0]["severity"] as? String) == "from_event")
            // Analysts read but do not change rules.
            try await client.request(.post, "/api/v1/rules", token: analyst, json: Self.custom).expectProblem(.forbidden, code: "forbidden")
        }
    }

    @Test func adminsManageRulesAndEveryChangeIsAudited() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let created = try await client.request(.post, "/api/v1/rules", token: admin, json: Self.custom)
            #expect(created.status == .created, "\(created.text)")
            let rule = try created.object()
            let id = try #require(rule["id"] as? String)
            #expect((rule["match"] as? [String: Any])?["types"] as? [String] == ["ssh.*"])
            try await client.request(.post, "/api/v1/rules", token: admin, json: Self.custom).expectProblem(.conflict, code: "rule_name_taken")

            let patched = try await client.request(.patch, "/api/v1/rules/\(id)", token: admin, json: #"{"enabled":false,"threshold":null}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            let after = try patched.object()
            #expect(after["enabled"] as? Bool == false)
            #expect(after["threshold"] is NSNull)
            #expect(after["name"] as? String == "SSH root logins")
            let fetched = try await client.request(.get, "/api/v1/rules/\(id)", token: admin)
            #expect(try fetched.object()["enabled"] as? Bool == false)

            #expect(try await client.request(.delete, "/api/v1/rules/\(id)", token: admin).status == .noContent)
            try await client.request(.get, "/api/v1/rules/\(id)", token: admin).expectProblem(.notFound, code: "not_found")
            try await client.request(.delete, "/api/v1/rules/\(id)", token: admin).expectProblem(.notFound, code: "not_found")

            let audit = try await client.request(.get, "/api/v1/events?source=vigil&type=rule.*&order=asc", token: admin)
            let events = try #require(try audit.object()["items"] as? [[String: Any]])
            #expect(events.map { $0["type"] as? String } == ["rule.created", "rule.updated", "rule.deleted"])
            #expect(events.allSatisfy { $0["entity_id"] as? String == id && $0["actor"] as? String == "admin" })
            let update = try #require(events[1]["details"] as? [String: Any])
            #expect((update["before"] as? [String: Any])?["enabled"] as? Bool == true)
            #expect((update["after"] as? [String: Any])?["enabled"] as? Bool == false)
            #expect((events[2]["details"] as? [String: Any])?["before"] != nil)
        }
    }

    @Test func badRulesAreRejectedWithFieldNames() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let bad = #"{"name":"x","severity":"severe","match":{"types":["bad type"],"extra":1},"threshold":{"count":0,"window_seconds":60}}"#
            let response = try await client.request(.post, "/api/v1/rules", token: admin, json: bad)
            try response.expectProblem(.badRequest, code: "validation_failed")
            #expect(Set(try response.errorFields()) == ["severity", "match.types[0]", "match.extra", "threshold.count"])
            try await client.request(.post, "/api/v1/rules", token: admin, json: "{").expectProblem(.badRequest, code: "malformed_json")
            try await client.request(.patch, "/api/v1/rules/not-a-uuid", token: admin, json: "{}").expectProblem(
                .badRequest,
                code: "validation_failed"
            )
            let user = try await client.makeUser("mallory")
            try await client.request(.get, "/api/v1/rules", token: user).expectProblem(.forbidden, code: "forbidden")
            let denied = try await client.request(.get, "/api/v1/events?source=vigil&type=access.denied", token: admin)
            #expect((try denied.object()["items"] as? [Any])?.count == 1)
        }
    }
}
