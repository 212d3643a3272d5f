import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilCore

@testable import VigilHTTP

@Suite struct AbuseTests {
    @Test func usernameThrottlingKicksInWithoutRevealingUsersAndRecovers() async throws {
        let configuration = TestApp.configuration {
            // An 8 s block: long enough that the checks below run inside it even when a busy CI
            // machine (PostgreSQL, the whole suite in parallel, every app's followers) takes
            // seconds per request — a 3 s block once ran out before the last check.
            $0.loginThrottle = LoginThrottlePolicy(
                ipFailuresPerMinute: 1000,
                userFailuresBeforeBackoff: 3,
                maxBackoffSeconds: 8,
                baseBackoffSeconds: 8
            )
        }
        try await TestApp.run(configuration) { client in
            _ = try await client.makeUser("quinn", password: "quinn-password")
            for name in ["quinn", "nobody-at-all"] {
                for _ in 0..<3 {
                    try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"\#(name)","password":"wrong-password"}"#)
                        .expectProblem(.unauthorized, code: "unauthenticated")
                }
                let throttled = try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"\#(name)","password":"wrong-password"}"#)
                try throttled.expectProblem(.tooManyRequests, code: "too_many_requests")
                #expect((1...8).contains(Int(throttled.headers[.retryAfter] ?? "") ?? 0))
                if name == "quinn" {
                    // Even the right password waits out the (eight-second) block, so a guess cannot
                    // be confirmed; checked at once, before the block can run out on a slow machine.
                    try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"quinn","password":"quinn-password"}"#)
                        .expectProblem(.tooManyRequests, code: "too_many_requests")
                }
            }
            try await Task.sleep(for: .milliseconds(8100))
            _ = try await client.login("quinn", "quinn-password")
            // Success reset the counter: one more failure is a plain 401 again.
            try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"quinn","password":"wrong-password"}"#)
                .expectProblem(.unauthorized, code: "unauthenticated")
            let admin = try await client.adminToken()
            let throttledEvents = try await client.request(.get, "/api/v1/events?source=vigil&type=auth.throttled", token: admin)
            // One record per key set and block (quinn was refused twice in one block), not one per request.
            #expect((try throttledEvents.object()["items"] as? [Any])?.count == 2)
            let reasons = try await client.request(.get, "/api/v1/events?source=vigil&type=auth.login.failed&details.reason=throttled", token: admin)
            #expect((try reasons.object()["items"] as? [Any])?.count == 3)
        }
    }

    @Test func ingestRateLimitPerPrincipal() async throws {
        try await TestApp.run(TestApp.configuration { $0.ingestRateLimit = 1 }) { client in
            let admin = try await client.adminToken()
            let batch = "[" + Array(repeating: #"{"type":"r"}"#, count: 1000).joined(separator: ",") + "]"
            #expect(try await client.request(.post, "/api/v1/events/batch", token: admin, json: batch).status == .created)
            // The bucket refills one event per second. Sent one after another, each waiting for
            // a slow commit (PostgreSQL on a busy CI machine), every request could find a refilled
            // token; sent at once, at most a few can. Without a limit all would be accepted.
            let statuses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<8 { group.addTask { try await client.ingest(admin, #"{"type":"r"}"#) } }
                return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.status == .created || $0.status == .tooManyRequests })
            let limited = statuses.first { $0.status != .created }
            let refused = try #require(limited, "no request was rate limited")
            try refused.expectProblem(.tooManyRequests, code: "too_many_requests")
            #expect(refused.headers[.retryAfter] == "1")
        }
    }

    @Test func forwardedHeadersParse() {
        let both: HTTPFields = [.xForwardedFor: "203.0.113.9, 10.0.0.2", .forwarded: "for=198.51.100.1"]
        // Only the configured header counts: a client's own copy of the other one is ignored.
        #expect(ClientAddressMiddleware.forwardedChain(both, from: .xForwardedFor).map(\.text) == ["203.0.113.9", "10.0.0.2"])
        #expect(ClientAddressMiddleware.forwardedChain(both, from: .forwarded).map(\.text) == ["198.51.100.1"])
        #expect(ClientAddressMiddleware.forwardedChain([.xForwardedFor: "6.6.6.6"], from: .forwarded).isEmpty)
        let forwarded: HTTPFields = [.forwarded: #"for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711", for=unknown"#]
        #expect(ClientAddressMiddleware.forwardedChain(forwarded, from: .forwarded).map(\.text) == ["192.0.2.60", "2001:db8:cafe::17"])
        #expect(ClientAddressMiddleware.address("198.51.100.7:8080")?.text == "198.51.100.7")
        #expect(ClientAddressMiddleware.address("nonsense") == nil)
        let middleware = ClientAddressMiddleware(trusted: [CIDRRange("10.0.0.0/8")!])
        let chain = ClientAddressMiddleware.forwardedChain([.xForwardedFor: "6.6.6.6, 203.0.113.9, 10.0.0.2"], from: .xForwardedFor)
        // The rightmost untrusted hop is the client; the forged leftmost entry is ignored.
        #expect(chain.last { !middleware.isTrusted($0) }?.text == "203.0.113.9")
    }
}
