import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import VigilHTTP

/// Vigil records what happens at its own front door as events in the same log.
@Suite struct AuditTests {
    func auditEvents(_ client: some TestClientProtocol, _ token: String, type: String) async throws -> [[String: Any]] {
        var all: [[String: Any]] = []
        var cursor: String? = nil
        repeat {
            let uri = "/api/v1/events?source=vigil&type=\(type)&limit=1000" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try await client.request(.get, uri, token: token).object()
            all += page["items"] as? [[String: Any]] ?? []
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        return all
    }

    @Test func loginsAreAuditedWithReasonsThatClientsDoNotSee() async throws {
        try await TestApp.run { client in
            _ = try await client.makeUser("gina")
            let bad = try await client.request(
                .post,
                "/api/v1/auth/login",
                json: #"{"username":"gina","password":"wrong-password"}"#,
                headers: [.userAgent: "curl/8.0"]
            )
            #expect(!bad.text.contains("bad_password"))
            try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"ghost","password":"wrong-password"}"#)
                .expectProblem(.unauthorized, code: "unauthenticated")
            let admin = try await client.adminToken()
            let failed = try await auditEvents(client, admin, type: "auth.login.failed")
            #expect(failed.count == 2)
            let reasons = failed.compactMap { ($0["details"] as? [String: Any])?["reason"] as? String }
            #expect(Set(reasons) == ["bad_password", "unknown_user"])
            let gina = try #require(failed.first { $0["actor"] as? String == "gina" })
            #expect(gina["severity"] as? String == "medium")
            #expect(gina["outcome"] as? String == "failure")
            #expect(gina["ingested_by"] as? String == "vigil")
            let details = try #require(gina["details"] as? [String: Any])
            #expect(details["user_agent"] as? String == "curl/8.0")
            #expect(details["route"] as? String == "/api/v1/auth/login")
            #expect(details["request_id"] is String)
            let succeeded = try await auditEvents(client, admin, type: "auth.login.succeeded")
            #expect(Set(succeeded.compactMap { $0["actor"] as? String }) == ["gina", "admin"])
            #expect(try await auditEvents(client, admin, type: "user.created").compactMap { $0["actor"] as? String } == ["gina"])
        }
    }

    @Test func deniedAccessIsAuditedButAnonymousRequestsAreNot() async throws {
        try await TestApp.run { client in
            let user = try await client.makeUser("hank")
            try await client.ingest(user, #"{"type":"x"}"#).expectProblem(.forbidden, code: "forbidden")
            try await client.request(.get, "/api/v1/events", token: "forged.token.value").expectProblem(.unauthorized, code: "unauthenticated")
            try await client.request(.get, "/api/v1/events").expectProblem(.unauthorized, code: "unauthenticated")
            let admin = try await client.adminToken()
            let denied = try await auditEvents(client, admin, type: "access.denied")
            #expect(denied.count == 2)
            let forbidden = try #require(denied.first { $0["actor"] as? String == "hank" })
            let details = try #require(forbidden["details"] as? [String: Any])
            #expect(details["status"] as? Int == 403)
            #expect(details["method"] as? String == "POST")
            #expect(details["path"] as? String == "/api/v1/events")
            #expect((details["reason"] as? String)?.contains("admin or analyst") == true)
            let forged = try #require(denied.first { ($0["details"] as? [String: Any])?["status"] as? Int == 401 })
            #expect(forged["actor"] is NSNull)
        }
    }

    @Test func refreshReuseIsCritical() async throws {
        try await TestApp.run { client in
            _ = try await client.makeUser("ivan")
            let refresh = try #require(try await client.login("ivan", "password-1234").body["refresh_token"] as? String)
            #expect(try await client.request(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#).status == .ok)
            _ = try await client.request(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            let admin = try await client.adminToken()
            let reuse = try await auditEvents(client, admin, type: "auth.refresh.reuse_detected")
            #expect(reuse.count == 1)
            #expect(reuse.first?["severity"] as? String == "critical")
            #expect(reuse.first?["actor"] as? String == "ivan")
            #expect(try await auditEvents(client, admin, type: "auth.refresh").count == 1)
        }
    }

    /// An attacker hammering a protected route leaves one `access.denied` per attempt.
    @Test func everyConcurrentDenialIsRecorded() async throws {
        try await TestApp.run { client in
            let user = try await client.makeUser("mallory")
            let attempts = 1000
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                // 32 concurrent clients, each sending its share of attempts.
                for worker in 0..<32 {
                    group.addTask {
                        var last = HTTPResponse.Status.ok
                        for attempt in stride(from: worker, to: attempts, by: 32) {
                            let response =
                                attempt % 2 == 0
                                ? try await client.ingest(user, #"{"type":"x"}"#)
                                : try await client.request(.get, "/api/v1/auth/me", token: "forged-\(attempt)")
                            #expect(response.status == .forbidden || response.status == .unauthorized)
                            last = response.status
                        }
                        return last
                    }
                }
                try await group.waitForAll()
            }
            let admin = try await client.adminToken()
            let denied = try await auditEvents(client, admin, type: "access.denied")
            #expect(denied.count == attempts)
        }
    }
}
