import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import VigilHTTP

/// The alert API: reading, filtering, the triage lifecycle and who may do what.
@Suite struct AlertTriageTests {
    /// One open critical alert; returns its id.
    static func raiseAlert(_ client: some TestClientProtocol, _ token: String, actor: String = "host-1") async throws -> String {
        #expect(try await client.ingest(token, #"{"type":"ids.alert","severity":"critical","actor":"\#(actor)"}"#).status == .created)
        let alerts = try await client.waitForAlerts(token, "q=\(actor)") { items in !items.isEmpty }
        return try #require(alerts.first?["id"] as? String)
    }

    static func patch(_ client: some TestClientProtocol, _ token: String, _ id: String, _ json: String) async throws -> TestResponse {
        try await client.request(.patch, "/api/v1/alerts/\(id)", token: token, json: json)
    }

    @Test func everyTransitionFollowsTheLifecycle() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let id = try await Self.raiseAlert(client, admin)
            // open → acknowledged → resolved
            var response = try await Self.patch(client, admin, id, #"{"status":"Acknowledged"}"#)
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.object()["status"] as? String == "acknowledged")
            // acknowledged → open is not allowed; the problem lists what is.
            var problem = try await Self.patch(client, admin, id, #"{"status":"open","note":"x"}"#).expectProblem(
                .conflict,
                code: "invalid_transition"
            )
            #expect((problem["detail"] as? String)?.contains("resolved, dismissed") == true)
            #expect((problem["errors"] as? [[String: Any]])?.first?["message"] as? String == "allowed from acknowledged: resolved, dismissed")
            response = try await Self.patch(client, admin, id, #"{"status":"resolved","note":"patched host"}"#)
            #expect(try response.object()["status"] as? String == "resolved")
            // resolved → acknowledged / dismissed are not allowed; reopening needs a note.
            try await Self.patch(client, admin, id, #"{"status":"acknowledged"}"#).expectProblem(.conflict, code: "invalid_transition")
            try await Self.patch(client, admin, id, #"{"status":"dismissed"}"#).expectProblem(.conflict, code: "invalid_transition")
            problem = try await Self.patch(client, admin, id, #"{"status":"open"}"#).expectProblem(.conflict, code: "invalid_transition")
            #expect((problem["detail"] as? String)?.contains("note") == true)
            response = try await Self.patch(client, admin, id, #"{"status":"open","note":"came back"}"#)
            #expect(try response.object()["status"] as? String == "open")
            // open → dismissed → open (with note) → resolved
            #expect(try await Self.patch(client, admin, id, #"{"status":"dismissed"}"#).status == .ok)
            try await Self.patch(client, admin, id, #"{"status":"resolved"}"#).expectProblem(.conflict, code: "invalid_transition")
            #expect(try await Self.patch(client, admin, id, #"{"status":"open","note":"not noise after all"}"#).status == .ok)
            // Setting the status it already has is not a change.
            try await Self.patch(client, admin, id, #"{"status":"open"}"#).expectProblem(.conflict, code: "invalid_transition")
            #expect(try await Self.patch(client, admin, id, #"{"status":"resolved"}"#).status == .ok)

            let detail = try await client.request(.get, "/api/v1/alerts/\(id)", token: admin).object()
            let history = try #require(detail["history"] as? [[String: Any]])
            let steps = history.map { "\($0["from"] as? String ?? "-")>\($0["to"] as? String ?? "?")" }
            #expect(
                steps == [
                    "->open", "open>acknowledged", "acknowledged>resolved", "resolved>open", "open>dismissed", "dismissed>open", "open>resolved",
                ]
            )
            #expect(history.dropFirst().allSatisfy { $0["by"] as? String == "admin" })
            #expect(history[2]["note"] as? String == "patched host")
            // Every change is in the log, with the alert before and after.
            try await client.waitForDetection(admin)
            let audit = try await client.request(.get, "/api/v1/events?type=alert.updated&order=asc", token: admin)
            let events = try #require(try audit.object()["items"] as? [[String: Any]])
            #expect(events.count == 6)
            #expect(events.allSatisfy { $0["entity_id"] as? String == id && $0["actor"] as? String == "admin" })
            let details = try #require(events[0]["details"] as? [String: Any])
            #expect((details["before"] as? [String: Any])?["status"] as? String == "open")
            #expect((details["after"] as? [String: Any])?["status"] as? String == "acknowledged")
        }
    }

    @Test func assigneesAreAdminsOrAnalysts() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            try await client.makeAnalyst(admin: admin)
            _ = try await client.makeUser("uma")
            let id = try await Self.raiseAlert(client, admin)
            let response = try await Self.patch(client, admin, id, #"{"assignee":"uma"}"#)
            #expect(try response.expectProblem(.badRequest, code: "validation_failed").isEmpty == false)
            #expect(try response.errorFields() == ["assignee"])
            try await Self.patch(client, admin, id, #"{"assignee":"nobody"}"#).expectProblem(.badRequest, code: "validation_failed")
            let assigned = try await Self.patch(client, admin, id, #"{"assignee":"ann","note":"yours"}"#)
            #expect(try assigned.object()["assignee"] as? String == "ann")
            #expect(try await client.alerts(admin, "assignee=ann").count == 1)
            let cleared = try await Self.patch(client, admin, id, #"{"assignee":null}"#)
            #expect(try cleared.object()["assignee"] is NSNull)
            let bad = try await Self.patch(client, admin, id, #"{"status":"closed","assignee":5,"extra":true}"#)
            try bad.expectProblem(.badRequest, code: "validation_failed")
            #expect(Set(try bad.errorFields()) == ["status", "assignee", "extra"])
            try await Self.patch(client, admin, id, "{}").expectProblem(.badRequest, code: "validation_failed")
            try await Self.patch(client, admin, "01a20701-4c2b-7c96-8564-17cb7df39949", #"{"status":"resolved"}"#)
                .expectProblem(.notFound, code: "not_found")
            try await client.request(.get, "/api/v1/alerts/not-a-uuid", token: admin).expectProblem(.badRequest, code: "validation_failed")
        }
    }

    @Test func analystsReadAndUsersAreDeniedAndAudited() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            try await client.makeAnalyst(admin: admin)
            let analyst = try await client.login("ann", "analyst-pass-1").token
            let user = try await client.makeUser("uma")
            let id = try await Self.raiseAlert(client, admin)
            #expect(try await client.request(.get, "/api/v1/alerts", token: analyst).status == .ok)
            #expect(try await client.request(.get, "/api/v1/alerts/\(id)", token: analyst).status == .ok)
            try await Self.patch(client, analyst, id, #"{"status":"acknowledged"}"#).expectProblem(.forbidden, code: "forbidden")
            try await client.request(.get, "/api/v1/alerts", token: user).expectProblem(.forbidden, code: "forbidden")
            try await client.request(.get, "/api/v1/alerts/\(id)", token: user).expectProblem(.forbidden, code: "forbidden")
            try await client.request(.get, "/api/v1/alerts").expectProblem(.unauthorized, code: "unauthenticated")
            let audit = try await client.request(.get, "/api/v1/events?type=access.denied&order=asc", token: admin)
            let denied = try #require(try audit.object()["items"] as? [[String: Any]])
            #expect(denied.compactMap { $0["actor"] as? String }.filter { $0 == "ann" || $0 == "uma" }.count == 3)
        }
    }

    @Test func listFiltersAndPages() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            var ids: [String] = []
            for index in 0..<5 { ids.append(try await Self.raiseAlert(client, admin, actor: "box-\(index)")) }
            #expect(try await client.ingest(admin, #"{"type":"ids.alert","severity":"high","actor":"box-high"}"#).status == .created)
            try await client.waitForAlerts(admin) { $0.count == 6 }
            #expect(try await Self.patch(client, admin, ids[0], #"{"status":"acknowledged"}"#).status == .ok)
            #expect(try await Self.patch(client, admin, ids[1], #"{"status":"resolved"}"#).status == .ok)

            func list(_ query: String) async throws -> [[String: Any]] {
                try await client.alerts(admin, query)
            }
            #expect(try await list("status=OPEN").count == 4)
            #expect(try await list("status=open&status=acknowledged").count == 5)
            #expect(try await list("status=acknowledged,resolved").count == 2)
            #expect(try await list("severity=high").count == 1)
            #expect(try await list("min_severity=high").count == 6)
            #expect(try await list("min_severity=critical").count == 5)
            #expect(try await list("q=BOX-3").compactMap { $0["id"] as? String } == [ids[3]])
            #expect(try await list("q=%25").isEmpty, "LIKE wildcards in q match literally")
            let rules = try await client.request(.get, "/api/v1/rules", token: admin).object()["items"] as? [[String: Any]]
            let high = try #require(rules?.first { $0["name"] as? String == "High severity event" }?["id"] as? String)
            #expect(try await list("rule_id=\(high)").count == 6)
            #expect(try await list("from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z").isEmpty)

            // Keyset pages, newest first by default, oldest first with order=asc.
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.request(
                    .get,
                    "/api/v1/alerts?limit=4&order=asc" + (cursor.map { "&cursor=\($0)" } ?? ""),
                    token: admin
                ).object()
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 6 && Array(seen.prefix(5)) == ids)
            let newest = try await client.request(.get, "/api/v1/alerts?limit=1", token: admin).object()["items"] as? [[String: Any]]
            #expect(newest?.first?["title"] as? String == "High severity event: ids.alert (box-high)")

            let bad = try await client.request(.get, "/api/v1/alerts?status=closed&limit=0&cursor=nope&colour=red", token: admin)
            try bad.expectProblem(.badRequest, code: "validation_failed")
            #expect(Set(try bad.errorFields()) == ["status", "limit", "cursor", "colour"])
            let desc = try await client.request(.get, "/api/v1/alerts?limit=1", token: admin).object()["next_cursor"] as? String
            let mixed = try await client.request(.get, "/api/v1/alerts?order=asc&cursor=\(try #require(desc))", token: admin)
            #expect(try mixed.errorFields() == ["cursor"])
        }
    }
}

@Suite struct AlertSortTests {
    /// `sort=severity` pages most severe first, then newest; its cursor works only with it.
    @Test func severitySortPagesMostSevereFirst() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            for (actor, severity) in [("a", "high"), ("b", "critical"), ("c", "high"), ("d", "critical")] {
                #expect(
                    try await client.ingest(admin, #"{"type":"ids.alert","severity":"\#(severity)","actor":"sort-\#(actor)"}"#).status == .created
                )
            }
            _ = try await client.waitForAlerts(admin, "q=sort-") { $0.count == 4 }
            var titles: [String] = []
            var cursor: String?
            repeat {
                let query = "/api/v1/alerts?q=sort-&sort=severity&limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.request(.get, query, token: admin).object()
                titles += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
                cursor = page["next_cursor"] as? String
                if let cursor {
                    try await client.request(.get, "/api/v1/alerts?q=sort-&cursor=\(cursor)", token: admin).expectProblem(
                        .badRequest,
                        code: "validation_failed"
                    )
                }
            } while cursor != nil
            #expect(titles.map { $0.components(separatedBy: "sort-").last?.prefix(1) ?? "" } == ["d", "b", "c", "a"])
        }
    }
}
