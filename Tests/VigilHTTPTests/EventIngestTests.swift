import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import VigilHTTP

@Suite struct EventIngestTests {
    @Test func singleEventRoundTrip() async throws {
        try await TestApp.run { client in
            let token = try await client.adminToken()
            let created = try await client.ingest(
                token,
                #"{"type":"auth.login.failed","severity":"High","outcome":"failure","actor":"bob","ip":"2001:DB8::0:1","details":{"port":22}}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let event = try created.object()
            let id = try #require(event["id"] as? String)
            #expect(id.count == 36 && id[id.index(id.startIndex, offsetBy: 14)] == "7", "server ids are UUIDv7")
            #expect(event["severity"] as? String == "high")
            #expect(event["ip"] as? String == "2001:db8::1")
            #expect(event["ingested_by"] as? String == "user:admin")
            #expect((event["details"] as? [String: Any])?["port"] as? Int == 22)
            #expect((event["received_at"] as? String)?.hasSuffix("Z") == true)
            #expect(event["occurred_at"] as? String == event["received_at"] as? String)
            let fetched = try await client.request(.get, "/api/v1/events/\(id)", token: token)
            #expect(fetched.text == created.text)
        }
    }

    @Test func clientIDIsIdempotent() async throws {
        try await TestApp.run { client in
            let token = try await client.adminToken()
            let body = #"{"id":"018f0000-0000-7000-8000-00000000abcd","type":"AccountCreated","actor":"x"}"#
            let first = try await client.ingest(token, body)
            #expect(first.status == .created)
            let second = try await client.ingest(token, body)
            #expect(second.status == .ok)
            #expect(second.text == first.text)
            try await client.ingest(token, #"{"id":"018f0000-0000-7000-8000-00000000abcd","type":"AccountCreated","actor":"y"}"#)
                .expectProblem(.conflict, code: "id_conflict")
            let list = try await client.request(.get, "/api/v1/events?type=AccountCreated", token: token)
            #expect(try list.ingestedItems().count == 1)
        }
    }

    @Test func badEventsAreRejectedWithFieldNames() async throws {
        try await TestApp.run { client in
            let token = try await client.adminToken()
            try await client.ingest(token, #"{"type":"x","#).expectProblem(.badRequest, code: "malformed_json")
            try await client.ingest(token, "").expectProblem(.badRequest, code: "malformed_json")
            let wrong = try await client.ingest(token, #"{"type":7,"severity":true,"details":"x","surprise":1}"#)
            try wrong.expectProblem(.badRequest, code: "validation_failed")
            #expect(Set(try wrong.errorFields()) == ["type", "severity", "details", "surprise"])
            try await client.ingest(token, "[]").expectProblem(.badRequest, code: "validation_failed")
            try await client.request(.post, "/api/v1/events", token: token, json: #"{"type":"x"}"#, contentType: "text/plain")
                .expectProblem(.unsupportedMediaType, code: "unsupported_media_type")
            let huge = #"{"type":"x","description":""# + String(repeating: "a", count: 1 << 20) + #""}"#
            try await client.ingest(token, huge).expectProblem(.contentTooLarge, code: "payload_too_large")
            let empty = try await client.request(.get, "/api/v1/events", token: token)
            #expect(try empty.ingestedItems().isEmpty, "nothing was half-written")
        }
    }

    @Test func batchJSONAndNDJSON() async throws {
        try await TestApp.run { client in
            let token = try await client.adminToken()
            let id = "018f0000-0000-7000-8000-0000000000b1"
            let array = try await client.request(
                .post,
                "/api/v1/events/batch",
                token: token,
                json: #"[{"type":"a","id":"\#(id)"},{"type":"b"},{"type":"c","severity":"critical"}]"#
            )
            #expect(array.status == .created, "\(array.text)")
            let summary = try array.object()
            #expect(summary["accepted"] as? Int == 3)
            #expect(summary["duplicates"] as? Int == 0)
            #expect((summary["ids"] as? [String])?.first == id)

            let ndjson = "{\"type\":\"a\",\"id\":\"\(id)\"}\r\n\n{\"type\":\"d\"}\n"
            let lines = try await client.request(.post, "/api/v1/events/batch", token: token, json: ndjson, contentType: "application/x-ndjson")
            #expect(lines.status == .created, "\(lines.text)")
            #expect(try lines.object()["accepted"] as? Int == 1)
            #expect(try lines.object()["duplicates"] as? Int == 1)
            let all = try await client.request(.get, "/api/v1/events?limit=100", token: token)
            #expect(try all.ingestedItems().count == 4)
        }
    }

    @Test func batchIsAllOrNothing() async throws {
        try await TestApp.run { client in
            let token = try await client.adminToken()
            let invalid = try await client.request(
                .post,
                "/api/v1/events/batch",
                token: token,
                json: #"[{"type":"ok"},{"type":"bad type"},{"severity":"x"},{"type":"ok2"}]"#
            )
            try invalid.expectProblem(.badRequest, code: "validation_failed")
            #expect(try invalid.errorFields() == ["[1].type", "[2].type", "[2].severity"])
            let badLine = try await client.request(
                .post,
                "/api/v1/events/batch",
                token: token,
                json: "{\"type\":\"ok\"}\n{nope\n",
                contentType: "application/x-ndjson"
            )
            #expect(try badLine.errorFields() == ["[1]"])
            let tooMany = "[" + Array(repeating: #"{"type":"t"}"#, count: 1001).joined(separator: ",") + "]"
            try await client.request(.post, "/api/v1/events/batch", token: token, json: tooMany).expectProblem(.badRequest, code: "validation_failed")
            try await client.request(.post, "/api/v1/events/batch", token: token, json: "[]").expectProblem(.badRequest, code: "validation_failed")
            try await client.request(.post, "/api/v1/events/batch", token: token, json: #"{"type":"t"}"#)
                .expectProblem(.badRequest, code: "validation_failed")
            // An id already stored with other content rejects the whole batch.
            _ = try await client.ingest(token, #"{"id":"018f0000-0000-7000-8000-0000000000c1","type":"orig"}"#)
            let clash = try await client.request(
                .post,
                "/api/v1/events/batch",
                token: token,
                json: #"[{"type":"new1"},{"id":"018f0000-0000-7000-8000-0000000000c1","type":"changed"}]"#
            )
            try clash.expectProblem(.conflict, code: "id_conflict")
            #expect(try clash.errorFields() == ["[1].id"])
            let all = try await client.request(.get, "/api/v1/events?limit=100", token: token)
            #expect(try all.ingestedItems().map { $0["type"] as? String } == ["orig"])
            let big =
                "["
                + Array(repeating: #"{"type":"t","description":"\#(String(repeating: "x", count: 4000))"}"#, count: 2700)
                .joined(separator: ",") + "]"
            try await client.request(.post, "/api/v1/events/batch", token: token, json: big).expectProblem(
                .contentTooLarge,
                code: "payload_too_large"
            )
        }
    }

    @Test func rolesGovernIngest() async throws {
        try await TestApp.run { client in
            let user = try await client.makeUser("plainuser")
            try await client.ingest(user, #"{"type":"t"}"#).expectProblem(.forbidden, code: "forbidden")
            try await client.request(.post, "/api/v1/events/batch", token: user, json: #"[{"type":"t"}]"#).expectProblem(
                .forbidden,
                code: "forbidden"
            )
            try await client.ingest("", #"{"type":"t"}"#).expectProblem(.unauthorized, code: "unauthenticated")
            let noToken = try await client.request(.post, "/api/v1/events", json: #"{"type":"t"}"#)
            try noToken.expectProblem(.unauthorized, code: "unauthenticated")
        }
    }
}
