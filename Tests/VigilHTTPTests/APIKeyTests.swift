import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import VigilHTTP

@Suite struct APIKeyTests {
    func createKey(_ client: some TestClientProtocol, _ admin: String, _ name: String, scopes: [String]) async throws -> [String: Any] {
        let body = #"{"name":"\#(name)","scopes":[\#(scopes.map { "\"\($0)\"" }.joined(separator: ","))]}"#
        let response = try await client.request(.post, "/api/v1/api-keys", token: admin, json: body)
        #expect(response.status == .created, "\(response.text)")
        return try response.object()
    }

    @Test func keysActWithExactlyTheirScopes() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let writer = try await createKey(client, admin, "firewall-1", scopes: ["events:write"])
            let writeSecret = try #require(writer["secret"] as? String)
            #expect(writeSecret.hasPrefix("vgl_"))
            #expect((writer["prefix"] as? String).map { writeSecret.hasPrefix($0) } == true)

            // Bearer and X-API-Key both work; the event names the key.
            let viaBearer = try await client.ingest(writeSecret, #"{"type":"fw.drop","actor":"10.0.0.1"}"#)
            #expect(viaBearer.status == .created)
            #expect(try viaBearer.object()["ingested_by"] as? String == "apikey:firewall-1")
            let viaHeader = try await client.request(.post, "/api/v1/events", json: #"{"type":"fw.drop"}"#, headers: [.xAPIKey: writeSecret])
            #expect(viaHeader.status == .created)

            // events:write alone cannot read, and a key is never an admin.
            try await client.request(.get, "/api/v1/events", token: writeSecret).expectProblem(.forbidden, code: "forbidden")
            try await client.request(.get, "/api/v1/api-keys", token: writeSecret).expectProblem(.forbidden, code: "forbidden")
            try await client.request(.get, "/api/v1/auth/me", token: writeSecret).expectProblem(.forbidden, code: "forbidden")

            let reader = try await createKey(client, admin, "siem", scopes: ["events:read"])
            let readSecret = try #require(reader["secret"] as? String)
            let page = try await client.request(.get, "/api/v1/events?type=fw.drop", token: readSecret)
            #expect((try page.object()["items"] as? [Any])?.count == 2)
            try await client.ingest(readSecret, #"{"type":"x"}"#).expectProblem(.forbidden, code: "forbidden")

            // Listing never shows secrets but shows use.
            let list = try await client.request(.get, "/api/v1/api-keys", token: admin)
            #expect(!list.text.contains(writeSecret) && !list.text.contains("\"secret\""))
            let items = try #require(try list.object()["items"] as? [[String: Any]])
            #expect(items.first { $0["name"] as? String == "firewall-1" }?["last_used_at"] is String)

            // Revocation takes effect at once.
            let id = try #require(writer["id"] as? String)
            #expect(try await client.request(.delete, "/api/v1/api-keys/\(id)", token: admin).status == .noContent)
            try await client.ingest(writeSecret, #"{"type":"x"}"#).expectProblem(.unauthorized, code: "unauthenticated")
            try await client.request(.delete, "/api/v1/api-keys/\(id)", token: admin).expectProblem(.notFound, code: "not_found")
            try await client.request(.get, "/api/v1/events", headers: [.xAPIKey: "vgl_forged"]).expectProblem(.unauthorized, code: "unauthenticated")

            let audit = try await client.request(.get, "/api/v1/events?source=vigil&type=apikey.created&type=apikey.revoked", token: admin)
            #expect((try audit.object()["items"] as? [Any])?.count == 3)
        }
    }

    @Test func badKeyRequestsAreRejected() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            for (body, field) in [
                (#"{"name":"k","scopes":[]}"#, "scopes"), (#"{"name":"k","scopes":["events:delete"]}"#, "scopes"),
                (#"{"name":"bad name","scopes":["events:read"]}"#, "name"), (#"{"scopes":["events:read"]}"#, "name"),
                (#"{"name":"k","scopes":["events:read"],"expires_at":"2001-01-01T00:00:00Z"}"#, "expires_at"),
            ] {
                let response = try await client.request(.post, "/api/v1/api-keys", token: admin, json: body)
                try response.expectProblem(.badRequest, code: "validation_failed")
                #expect(try response.errorFields() == [field], "\(body)")
            }
            _ = try await createKey(client, admin, "dup", scopes: ["events:read"])
            try await client.request(.post, "/api/v1/api-keys", token: admin, json: #"{"name":"dup","scopes":["events:read"]}"#)
                .expectProblem(.conflict, code: "api_key_name_taken")
            let expiring = try await client.request(
                .post,
                "/api/v1/api-keys",
                token: admin,
                json: #"{"name":"soon","scopes":["events:read"],"expires_at":"2099-01-01T00:00:00Z"}"#
            )
            #expect(try expiring.object()["expires_at"] as? String == "2099-01-01T00:00:00.000000Z")
        }
    }
}
