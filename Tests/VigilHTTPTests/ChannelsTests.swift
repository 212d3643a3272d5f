import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import VigilHTTP

/// `/api/v1/channels` and `/api/v1/deliveries` in-process (real delivery is in the end-to-end suite).
@Suite struct ChannelsTests {
    /// Nothing listens on the discard port of loopback: every attempt fails fast.
    static let deadURL = "http://127.0.0.1:9/hook"

    @Test func adminsManageChannelsSecretsAreWriteOnlyAndChangesAudited() async throws {
        try await TestApp.run(TestApp.configuration { $0.notificationTimeoutSeconds = 1 }) { client in
            let admin = try await client.adminToken()
            let created = try await client.request(
                .post,
                "/api/v1/channels",
                token: admin,
                json: #"{"name":"SOC hook","kind":"webhook","config":{"url":"\#(Self.deadURL)"},"min_severity":"high"}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let body = try created.object()
            let id = try #require(body["id"] as? String)
            let config = try #require(body["config"] as? [String: Any])
            let secret = try #require(config["secret"] as? String, "a generated secret is shown once")
            #expect(secret.hasPrefix("whsec_") && config["secret_set"] as? Bool == true)
            let shown = try await client.request(.get, "/api/v1/channels/\(id)", token: admin)
            #expect(!shown.text.contains(secret) && shown.text.contains(#""secret_set":true"#))
            // A secret given is never echoed.
            let given = try await client.request(
                .post,
                "/api/v1/channels",
                token: admin,
                json: #"{"name":"second","kind":"webhook","config":{"url":"https://x.example","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}"#
            )
            #expect(given.status == .created && !given.text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
            try await client.request(
                .post,
                "/api/v1/channels",
                token: admin,
                json: #"{"name":"soc HOOK","kind":"webhook","config":{"url":"https://x.example"}}"#
            )
            .expectProblem(.conflict, code: "channel_name_taken")
            let bad = try await client.request(
                .post,
                "/api/v1/channels",
                token: admin,
                json: #"{"name":"x","kind":"webhook","config":{"url":"file:///etc/passwd"}}"#
            )
            #expect(try bad.errorFields() == ["config.url"])

            // A test message to a receiver that is not there: one attempt, reported, nothing queued.
            let tested = try await client.request(.post, "/api/v1/channels/\(id)/test", token: admin)
            #expect(tested.status == .ok, "\(tested.text)")
            #expect(try tested.object()["delivered"] as? Bool == false && (try tested.object()["error"] as? String)?.isEmpty == false)
            #expect((try await client.request(.get, "/api/v1/deliveries", token: admin).object()["items"] as? [Any])?.isEmpty == true)
            let patched = try await client.request(.patch, "/api/v1/channels/\(id)", token: admin, json: #"{"enabled":false}"#)
            #expect(try patched.object()["enabled"] as? Bool == false)
            try await client.makeAnalyst(admin: admin)
            let analyst = try await client.login("ann", "analyst-pass-1").token
            #expect(try await client.request(.get, "/api/v1/channels", token: analyst).status == .ok)
            try await client.request(.delete, "/api/v1/channels/\(id)", token: analyst).expectProblem(.forbidden, code: "forbidden")
            try await client.request(.post, "/api/v1/channels/\(id)/test", token: analyst).expectProblem(.forbidden, code: "forbidden")
            try await client.request(.get, "/api/v1/deliveries", token: analyst).expectProblem(.forbidden, code: "forbidden")
            #expect(try await client.request(.delete, "/api/v1/channels/\(id)", token: admin).status == .noContent)

            let audit = try await client.request(.get, "/api/v1/events?type=channel.*&order=asc", token: admin)
            let events = try #require(try audit.object()["items"] as? [[String: Any]])
            #expect(
                events.map { $0["type"] as? String } == [
                    "channel.created", "channel.created", "channel.tested", "channel.updated", "channel.deleted",
                ]
            )
            #expect(!audit.text.contains(secret) && !audit.text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "secrets never reach the log")
        }
    }

    @Test func failedAttemptsAreRecordedAndRetriedByHand() async throws {
        try await TestApp.run(TestApp.configuration { $0.notificationTimeoutSeconds = 1 }) { client in
            let admin = try await client.adminToken()
            let created = try await client.request(
                .post,
                "/api/v1/channels",
                token: admin,
                json: #"{"name":"dead end","kind":"webhook","config":{"url":"\#(Self.deadURL)"}}"#
            )
            let channelID = try #require(try created.object()["id"] as? String)
            #expect(try await client.ingest(admin, #"{"type":"ids.alert","severity":"critical","actor":"h9"}"#).status == .created)
            // The first attempt fails (nothing listens) and is scheduled again with back-off.
            var delivery: [String: Any] = [:]
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let page = try await client.request(.get, "/api/v1/deliveries?channel_id=\(channelID)", token: admin).object()
                if let first = (page["items"] as? [[String: Any]])?.first, (first["history"] as? [Any])?.count == 1,
                    first["status"] as? String == "pending"
                {
                    delivery = first
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(delivery["event"] as? String == "alert.created")
            #expect(delivery["attempts"] as? Int == 1)
            let attempt = try #require((delivery["history"] as? [[String: Any]])?.first)
            #expect(attempt["status_code"] is NSNull && (attempt["error"] as? String)?.isEmpty == false)
            #expect(delivery["next_attempt_at"] is String)
            let id = try #require(delivery["id"] as? String)
            let retried = try await client.request(.post, "/api/v1/deliveries/\(id)/retry", token: admin)
            #expect(retried.status == .accepted, "\(retried.text)")
            #expect(try retried.object()["attempts"] as? Int == 0)
            try await client.request(.post, "/api/v1/deliveries/01a20701-4c2b-7c96-8564-17cb7df39949/retry", token: admin)
                .expectProblem(.notFound, code: "not_found")
            let bad = try await client.request(.get, "/api/v1/deliveries?status=lost&limit=0&x=1", token: admin)
            #expect(Set(try bad.errorFields()) == ["status", "limit", "x"])
        }
    }
}
