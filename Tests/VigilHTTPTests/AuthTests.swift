import Foundation
import HTTPTypes
import HummingbirdTesting
import JWTKit
import Testing

@testable import VigilHTTP

@Suite struct AuthTests {
    @Test func registerLoginRefreshMe() async throws {
        try await TestApp.run { client in
            let registered = try await client.request(.post, "/api/v1/auth/register", json: #"{"username":"alice","password":"alice-password"}"#)
            #expect(registered.status == .created)
            let user = try registered.object()
            #expect(user["username"] as? String == "alice")
            #expect(user["role"] as? String == "user")
            #expect(user["password_hash"] == nil)
            #expect(registered.headers[.cacheControl] == "no-store")

            let (access, login) = try await client.login("alice", "alice-password")
            #expect(login["token_type"] as? String == "Bearer")
            #expect(login["expires_in"] as? Int == 900)
            #expect((login["user"] as? [String: Any])?["role"] as? String == "user")
            let refresh = try #require(login["refresh_token"] as? String)

            let me = try await client.request(.get, "/api/v1/auth/me", token: access)
            #expect(try me.object()["username"] as? String == "alice")

            let refreshed = try await client.request(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(refreshed.status == .ok)
            let pair = try refreshed.object()
            let newRefresh = try #require(pair["refresh_token"] as? String)
            #expect(newRefresh != refresh)
            let newAccess = try #require(pair["access_token"] as? String)
            #expect(try await client.request(.get, "/api/v1/auth/me", token: newAccess).status == .ok)

            // The old refresh token is retired; reusing it revokes the family, so the new one dies too.
            try await client.request(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
                .expectProblem(.unauthorized, code: "unauthenticated")
            try await client.request(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(newRefresh)"}"#)
                .expectProblem(.unauthorized, code: "unauthenticated")
        }
    }

    @Test func registrationRules() async throws {
        try await TestApp.run { client in
            _ = try await client.makeUser("bob")
            try await client.request(.post, "/api/v1/auth/register", json: #"{"username":"BOB","password":"another-password"}"#)
                .expectProblem(.conflict, code: "username_taken")
            // Nobody picks their own role.
            let withRole = try await client.request(
                .post,
                "/api/v1/auth/register",
                json: #"{"username":"mallory","password":"mallory-pass","role":"admin"}"#
            )
            try withRole.expectProblem(.badRequest, code: "validation_failed")
            #expect(try withRole.errorFields() == ["role"])
            let bad = try await client.request(.post, "/api/v1/auth/register", json: #"{"username":"a b","password":"short"}"#)
            #expect(Set(try bad.errorFields()) == ["username", "password"])
            let same = try await client.request(.post, "/api/v1/auth/register", json: #"{"username":"samesame12","password":"samesame12"}"#)
            #expect(try same.errorFields() == ["password"])
            let wrongType = try await client.request(.post, "/api/v1/auth/register", json: #"{"username":5,"password":["x"]}"#)
            #expect(Set(try wrongType.errorFields()) == ["username", "password"])
            try await client.request(.post, "/api/v1/auth/register", json: #"{"username":"#)
                .expectProblem(.badRequest, code: "malformed_json")
            try await client.request(.post, "/api/v1/auth/register", json: #"{"username":"x"}"#, contentType: "text/plain")
                .expectProblem(.unsupportedMediaType, code: "unsupported_media_type")
        }
    }

    @Test func closedRegistration() async throws {
        try await TestApp.run(TestApp.configuration { $0.registration = .closed }) { client in
            try await client.request(.post, "/api/v1/auth/register", json: #"{"username":"carol","password":"carol-password"}"#)
                .expectProblem(.forbidden, code: "registration_closed")
            let admin = try await client.adminToken()
            let denied = try await client.request(.get, "/api/v1/events?source=vigil&type=access.denied", token: admin).object()
            #expect((denied["items"] as? [Any])?.count == 1, "every 403 is audited, registration included")
        }
    }

    @Test func loginFailuresLookAlike() async throws {
        try await TestApp.run { client in
            _ = try await client.makeUser("dave")
            let wrongPassword = try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"dave","password":"wrong-password"}"#)
            let unknownUser = try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"nobody","password":"wrong-password"}"#)
            try wrongPassword.expectProblem(.unauthorized, code: "unauthenticated")
            try unknownUser.expectProblem(.unauthorized, code: "unauthenticated")
            #expect(wrongPassword.text == unknownUser.text)
            // Usernames are matched ignoring case at login.
            _ = try await client.login("DAVE", "password-1234")
        }
    }

    @Test func longPasswordsAreNotTruncated() async throws {
        try await TestApp.run { client in
            let long = String(repeating: "p", count: 100)
            _ = try await client.makeUser("erin", password: long)
            _ = try await client.login("erin", long)
            // Same first 72 bytes, different tail: bcrypt alone would accept it.
            let tail = String(repeating: "p", count: 99) + "q"
            try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"erin","password":"\#(tail)"}"#)
                .expectProblem(.unauthorized, code: "unauthenticated")
        }
    }

    @Test func rejectsForgedAndExpiredTokens() async throws {
        try await TestApp.run { client in
            let (good, login) = try await client.login("admin", TestApp.adminPassword)
            let adminID = try #require((login["user"] as? [String: Any])?["id"] as? String)
            let parts = good.split(separator: ".").map(String.init)

            func claims(exp: Date = Date().addingTimeInterval(600), iss: String = "vigil", aud: String = "vigil-api") -> AccessTokenClaims {
                AccessTokenClaims(
                    sub: .init(value: adminID),
                    iss: .init(value: iss),
                    aud: .init(value: [aud]),
                    exp: .init(value: exp),
                    iat: .init(value: Date().addingTimeInterval(-700)),
                    ver: 1
                )
            }
            let sameKey = JWTKeyCollection()
            await sameKey.add(hmac: HMACKey(from: TestApp.jwtSecret), digestAlgorithm: .sha256)
            let otherAlg = JWTKeyCollection()
            await otherAlg.add(hmac: HMACKey(from: TestApp.jwtSecret), digestAlgorithm: .sha384)
            let otherKey = JWTKeyCollection()
            await otherKey.add(hmac: HMACKey(from: String(repeating: "k", count: 40)), digestAlgorithm: .sha256)

            // Sanity: a token we mint with the right key and claims is accepted.
            #expect(try await client.request(.get, "/api/v1/auth/me", token: try await sameKey.sign(claims())).status == .ok)

            let noneHeader = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            let forged: [String] = [
                "\(noneHeader).\(parts[1]).",
                "\(parts[0]).\(parts[1]).\(parts[2].dropLast(2))xx",
                try await otherAlg.sign(claims()),
                try await otherKey.sign(claims()),
                try await sameKey.sign(claims(exp: Date().addingTimeInterval(-5))),
                try await sameKey.sign(claims(iss: "someone-else")),
                try await sameKey.sign(claims(aud: "other-api")),
                "not-a-jwt",
                "",
            ]
            for token in forged {
                try await client.request(.get, "/api/v1/auth/me", token: token).expectProblem(.unauthorized, code: "unauthenticated")
            }
            try await client.request(.get, "/api/v1/auth/me", headers: [.authorization: "Basic YWRtaW46eA=="])
                .expectProblem(.unauthorized, code: "unauthenticated")
            let missing = try await client.request(.get, "/api/v1/auth/me")
            try missing.expectProblem(.unauthorized, code: "unauthenticated")
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }
}
