import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

@testable import VigilHTTP

@Suite struct UserAdminTests {
    func createUser(_ client: some TestClientProtocol, _ admin: String, _ name: String, role: String) async throws -> String {
        let response = try await client.request(
            .post,
            "/api/v1/users",
            token: admin,
            json: #"{"username":"\#(name)","password":"\#(name)-password","role":"\#(role)"}"#
        )
        #expect(response.status == .created, "\(response.text)")
        #expect(try response.object()["role"] as? String == role)
        return try #require(try response.object()["id"] as? String)
    }

    func auditCount(_ client: some TestClientProtocol, _ admin: String, _ type: String) async throws -> Int {
        (try await client.request(.get, "/api/v1/events?source=vigil&type=\(type)&limit=1000", token: admin).object()["items"] as? [Any])?
            .count ?? -1
    }

    @Test func adminManagesUsersAndChangesTakeEffectAtOnce() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let id = try await createUser(client, admin, "judy", role: "analyst")
            try await client.request(
                .post,
                "/api/v1/users",
                token: admin,
                json: #"{"username":"JUDY","password":"other-password","role":"user"}"#
            ).expectProblem(.conflict, code: "username_taken")
            let list = try await client.request(.get, "/api/v1/users", token: admin).object()["items"] as? [[String: Any]]
            #expect(Set(list?.compactMap { $0["username"] as? String } ?? []) == ["admin", "judy"])
            #expect(try await client.request(.get, "/api/v1/users/\(id)", token: admin).object()["username"] as? String == "judy")

            let (judy, login) = try await client.login("judy", "judy-password")
            let refresh = try #require(login["refresh_token"] as? String)
            #expect(try await client.ingest(judy, #"{"type":"x"}"#).status == .created)

            // Demotion: the analyst's unexpired token stops working immediately, and so does her refresh token.
            let patched = try await client.request(.patch, "/api/v1/users/\(id)", token: admin, json: #"{"role":"user"}"#)
            #expect(try patched.object()["role"] as? String == "user")
            try await client.request(.get, "/api/v1/auth/me", token: judy).expectProblem(.unauthorized, code: "unauthenticated")
            try await client.request(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
                .expectProblem(.unauthorized, code: "unauthenticated")
            let judyAsUser = try await client.login("judy", "judy-password").token
            try await client.ingest(judyAsUser, #"{"type":"x"}"#).expectProblem(.forbidden, code: "forbidden")

            // Disabling: the token dies and login fails.
            #expect(try await client.request(.patch, "/api/v1/users/\(id)", token: admin, json: #"{"disabled":true}"#).status == .ok)
            try await client.request(.get, "/api/v1/auth/me", token: judyAsUser).expectProblem(.unauthorized, code: "unauthenticated")
            try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"judy","password":"judy-password"}"#)
                .expectProblem(.unauthorized, code: "unauthenticated")

            let updates =
                try await client.request(.get, "/api/v1/events?source=vigil&type=user.updated&order=asc", token: admin)
                .object()["items"] as? [[String: Any]]
            #expect(updates?.count == 2)
            let first = updates?.first?["details"] as? [String: Any]
            #expect((first?["before"] as? [String: Any])?["role"] as? String == "analyst")
            #expect((first?["after"] as? [String: Any])?["role"] as? String == "user")

            #expect(try await client.request(.delete, "/api/v1/users/\(id)", token: admin).status == .noContent)
            try await client.request(.get, "/api/v1/users/\(id)", token: admin).expectProblem(.notFound, code: "not_found")
            try await client.request(.delete, "/api/v1/users/\(id)", token: admin).expectProblem(.notFound, code: "not_found")
            #expect(try await auditCount(client, admin, "user.deleted") == 1)
            #expect(try await auditCount(client, admin, "user.created") == 1)
        }
    }

    @Test func theLastEnabledAdminStays() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let adminID = try #require(try await client.request(.get, "/api/v1/auth/me", token: admin).object()["id"] as? String)
            for body in [#"{"role":"analyst"}"#, #"{"disabled":true}"#] {
                try await client.request(.patch, "/api/v1/users/\(adminID)", token: admin, json: body).expectProblem(.conflict, code: "last_admin")
            }
            try await client.request(.delete, "/api/v1/users/\(adminID)", token: admin).expectProblem(.conflict, code: "last_admin")
            // With a second enabled admin, the first may step down.
            _ = try await createUser(client, admin, "karl", role: "admin")
            #expect(try await client.request(.patch, "/api/v1/users/\(adminID)", token: admin, json: #"{"role":"analyst"}"#).status == .ok)
            let karl = try await client.login("karl", "karl-password").token
            let karlID = try #require(try await client.request(.get, "/api/v1/auth/me", token: karl).object()["id"] as? String)
            try await client.request(.delete, "/api/v1/users/\(karlID)", token: karl).expectProblem(.conflict, code: "last_admin")
        }
    }

    @Test func badUpdatesAreRejected() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let id = try await createUser(client, admin, "lena", role: "user")
            for (body, field) in [(#"{"role":"root"}"#, "role"), (#"{"disabled":"yes"}"#, "disabled"), (#"{"password":"x"}"#, "password")] {
                let response = try await client.request(.patch, "/api/v1/users/\(id)", token: admin, json: body)
                try response.expectProblem(.badRequest, code: "validation_failed")
                #expect(try response.errorFields() == [field])
            }
            try await client.request(.patch, "/api/v1/users/not-a-uuid", token: admin, json: "{}").expectProblem(
                .badRequest,
                code: "validation_failed"
            )
            try await client.request(.patch, "/api/v1/users/\(UUID().lowercased)", token: admin, json: "{}").expectProblem(
                .notFound,
                code: "not_found"
            )
            try await client.request(.post, "/api/v1/users", token: admin, json: #"{"username":"m","password":"short","role":"boss"}"#)
                .expectProblem(.badRequest, code: "validation_failed")
        }
    }

    @Test func nonAdminsAreRefusedOnEveryAdminRouteAndAudited() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            _ = try await createUser(client, admin, "nina", role: "analyst")
            let target = try await createUser(client, admin, "otto", role: "user")
            let analyst = try await client.login("nina", "nina-password").token
            let user = try await client.login("otto", "otto-password").token
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/v1/users", nil), (.post, "/api/v1/users", #"{"username":"zed","password":"zed-password","role":"admin"}"#),
                (.get, "/api/v1/users/\(target)", nil), (.patch, "/api/v1/users/\(target)", #"{"role":"admin"}"#),
                (.delete, "/api/v1/users/\(target)", nil),
                (.get, "/api/v1/api-keys", nil), (.post, "/api/v1/api-keys", #"{"name":"k","scopes":["events:read"]}"#),
                (.delete, "/api/v1/api-keys/\(target)", nil),
            ]
            for token in [analyst, user] {
                for (method, uri, body) in routes {
                    try await client.request(method, uri, token: token, json: body).expectProblem(.forbidden, code: "forbidden")
                }
            }
            #expect(try await auditCount(client, admin, "access.denied") == 2 * routes.count)
            #expect(try await client.request(.get, "/api/v1/users/\(target)", token: admin).object()["role"] as? String == "user")
        }
    }

    @Test func passwordChangeRevokesEveryToken() async throws {
        try await TestApp.run { client in
            _ = try await client.makeUser("pete", password: "pete-password")
            let (token, login) = try await client.login("pete", "pete-password")
            let refresh = try #require(login["refresh_token"] as? String)
            let wrong = try await client.request(
                .post,
                "/api/v1/auth/password",
                token: token,
                json: #"{"current_password":"nope-nope-nope","new_password":"brand-new-password"}"#
            )
            #expect(try wrong.errorFields() == ["current_password"])
            let weak = try await client.request(
                .post,
                "/api/v1/auth/password",
                token: token,
                json: #"{"current_password":"pete-password","new_password":"short"}"#
            )
            #expect(try weak.errorFields() == ["new_password"])
            let changed = try await client.request(
                .post,
                "/api/v1/auth/password",
                token: token,
                json: #"{"current_password":"pete-password","new_password":"brand-new-password"}"#
            )
            #expect(changed.status == .noContent)
            try await client.request(.get, "/api/v1/auth/me", token: token).expectProblem(.unauthorized, code: "unauthenticated")
            try await client.request(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
                .expectProblem(.unauthorized, code: "unauthenticated")
            try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"pete","password":"pete-password"}"#)
                .expectProblem(.unauthorized, code: "unauthenticated")
            _ = try await client.login("pete", "brand-new-password")
            let admin = try await client.adminToken()
            #expect(try await auditCount(client, admin, "auth.password.changed") == 1)
        }
    }
}
