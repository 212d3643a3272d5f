import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

@testable import VigilHTTP

/// Legal holds through the API: admins place and release them (each audited), analysts read
/// the policy, users and bad bodies are refused.
@Suite struct RetentionAPITests {
    @Test func holdsArePlacedReadAndReleasedByAdminsOnly() async throws {
        let configuration = TestApp.configuration {
            $0.ledger.retentionDays = 90
            $0.ledger.retentionRules = [.init(selector: .typePrefix("auth."), days: 365)]
        }
        try await TestApp.run(configuration) { client in
            let admin = try await client.adminToken()
            try await client.makeAnalyst(admin: admin)
            let analyst = try await client.login("ann", "analyst-pass-1").token
            let user = try await client.makeUser("uma")
            let body =
                #"{"name":"case 42","reason":"subpoena","from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z","type":"auth.*","actor":"mallory"}"#
            try await client.request(.post, "/api/v1/retention/holds", token: analyst, json: body).expectProblem(.forbidden, code: "forbidden")
            let created = try await client.request(.post, "/api/v1/retention/holds", token: admin, json: body)
            #expect(created.status == .created, "\(created.text)")
            let hold = try created.object()
            let id = try #require(hold["id"] as? String)
            #expect(hold["type"] as? String == "auth.*" && hold["created_by"] as? String == "admin")
            let shown = try await client.request(.get, "/api/v1/retention", token: analyst).object()
            #expect(shown["default_days"] as? Int == 90)
            #expect((shown["rules"] as? [[String: Any]])?.first?["selector"] as? String == "auth.*")
            #expect((shown["holds"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            try await client.request(.get, "/api/v1/retention", token: user).expectProblem(.forbidden, code: "forbidden")
            let bad = try await client.request(
                .post,
                "/api/v1/retention/holds",
                token: admin,
                json: #"{"name":"","from":"2026-02-01T00:00:00Z","to":"2026-01-01T00:00:00Z","type":"severity:high","extra":1}"#
            )
            _ = try bad.expectProblem(.badRequest, code: "validation_failed")
            #expect(Set(try bad.errorFields()) == ["extra", "name", "to", "type"])
            #expect(try await client.request(.delete, "/api/v1/retention/holds/\(id)", token: admin).status == .noContent)
            try await client.request(.delete, "/api/v1/retention/holds/\(id)", token: admin).expectProblem(.notFound, code: "not_found")
            let audit = try await client.request(.get, "/api/v1/events?type=retention.*&order=asc", token: admin).object()
            let types = (audit["items"] as? [[String: Any]])?.compactMap { $0["type"] as? String }
            #expect(types == ["retention.hold_created", "retention.hold_released"])
        }
    }
}
