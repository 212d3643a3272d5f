import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import VigilHTTP

/// Slack, Telex and email channels through the API, and Telex's descriptor and ticks. The
/// messages themselves reach real receivers in the end-to-end suite.
@Suite struct NotificationKindsTests {
    @Test func credentialsOfEveryKindAreWriteOnlyInAnswersAndTheLog() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let slackURL = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"
            let slack = try await client.request(
                .post,
                "/api/v1/channels",
                token: admin,
                json: #"{"name":"slack","kind":"slack","config":{"url":"\#(slackURL)"}}"#
            )
            #expect(slack.status == .created, "\(slack.text)")
            #expect(try slack.object()["config"] as? [String: Bool] == ["url_set": true])
            let slackID = try #require(try slack.object()["id"] as? String)
            let renamed = try await client.request(.patch, "/api/v1/channels/\(slackID)", token: admin, json: #"{"name":"slack soc","config":{}}"#)
            #expect(renamed.status == .ok && !renamed.text.contains("XXXXSECRET"), "\(renamed.text)")
            let email = try await client.request(
                .post,
                "/api/v1/channels",
                token: admin,
                json: #"""
                    {"name":"mail","kind":"email","config":{"host":"smtp.example.org","username":"vigil","password":"MAILPASS",
                     "from":"vigil@example.org","to":["soc@example.org"]}}
                    """#
            )
            #expect(email.status == .created, "\(email.text)")
            let config = try #require(try email.object()["config"] as? [String: Any])
            #expect(config["password_set"] as? Bool == true && config["password"] == nil)
            #expect(config["port"] as? Int == 587 && config["security"] as? String == "starttls")
            let bad = try await client.request(
                .post,
                "/api/v1/channels",
                token: admin,
                json: #"{"name":"bad","kind":"email","config":{"host":"h","from":"x","to":["a@b.c\r\nBcc: all@x.y"]}}"#
            )
            #expect(Set(try bad.errorFields()) == ["config.from", "config.to[0]"])
            let log = try await client.request(.get, "/api/v1/events?type=channel.*", token: admin)
            #expect(log.text.contains("url_set") && log.text.contains("password_set"))
            #expect(!log.text.contains("XXXXSECRET") && !log.text.contains("MAILPASS"), "credentials never reach the log")
        }
    }

    @Test func theTelexDescriptorNamesThePublicURL() async throws {
        try await TestApp.run(TestApp.configuration { $0.publicURL = "https://vigil.example.org/" }) { client in
            let answer = try await client.request(.get, "/integration.json")
            #expect(answer.status == .ok)
            let data = try #require(try answer.object()["data"] as? [String: Any])
            #expect(data["integration_type"] as? String == "interval")
            #expect(data["integration_category"] as? String == "Security & Compliance")
            #expect(data["tick_url"] as? String == "https://vigil.example.org/api/v1/integrations/telex/tick")
            let descriptions = try #require(data["descriptions"] as? [String: Any])
            #expect(descriptions["app_name"] as? String == "Vigil" && descriptions["app_url"] as? String == "https://vigil.example.org")
            let logo = try await client.request(.get, "/logo.svg")
            #expect(logo.status == .ok && logo.text.hasPrefix("<svg"))
        }
        #expect(TestApp.configuration { $0.host = "::1" }.resolvedPublicURL == "http://[::1]:8080")
    }

    @Test func telexTicksOnlyForLinkedChannelsAndTheirHost() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let created = try await client.request(
                .post,
                "/api/v1/channels",
                token: admin,
                json: #"{"name":"telex","kind":"telex","config":{"url":"http://127.0.0.1:9/v1/webhooks/x","channel_id":"chan-1"}}"#
            )
            let id = try #require(try created.object()["id"] as? String)
            func tick(_ json: String) async throws -> TestResponse {
                try await client.request(.post, "/api/v1/integrations/telex/tick", json: json)
            }
            let accepted = try await tick(#"{"channel_id":"chan-1","return_url":"http://127.0.0.1:9/v1/return/chan-1","settings":[]}"#)
            #expect(accepted.status == .accepted, "\(accepted.text)")
            try await tick(#"{"channel_id":"chan-2","return_url":"http://127.0.0.1:9/v1/return/chan-2"}"#).expectProblem(.notFound, code: "not_found")
            let elsewhere = try await tick(#"{"channel_id":"chan-1","return_url":"http://127.0.0.1:10/collect"}"#)
            #expect(try elsewhere.errorFields() == ["return_url"])
            // F7: the linked channel's host, but another Telex channel's return URL.
            let sameHost = try await tick(#"{"channel_id":"chan-1","return_url":"http://127.0.0.1:9/v1/return/attacker"}"#)
            #expect(try sameHost.errorFields() == ["return_url"])
            // The id a tick relies on stays out of the audit trail that events:read keys can read.
            let audit = try await client.request(.get, "/api/v1/events?type=channel.created", token: admin)
            #expect(!audit.text.contains("chan-1") && audit.text.contains(#""channel_id_set":true"#), "\(audit.text)")
            #expect(Set(try await tick(#"{"channel_id":1,"extra":true}"#).errorFields()) == ["channel_id", "extra", "return_url"])
            try await tick("{").expectProblem(.badRequest, code: "malformed_json")
            // A disabled channel takes no ticks.
            _ = try await client.request(.patch, "/api/v1/channels/\(id)", token: admin, json: #"{"enabled":false}"#)
            try await tick(#"{"channel_id":"chan-1","return_url":"http://127.0.0.1:9/v1/return/chan-1"}"#).expectProblem(.notFound, code: "not_found")
        }
    }
}
