import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilCore

@testable import VigilHTTP

/// The console over HTTP, in process and on both engines: sessions, CSRF, headers, and that its
/// changes are the API's.
@Suite struct ConsoleTests {
    @Test func pagesCarryTheSecurityHeadersAndSignInSetsHardenedCookies() async throws {
        try await TestApp.run { client in
            var browser = ConsoleBrowser()
            let page = try await browser.get(client, "/")
            #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline") && policy.contains("frame-ancestors 'none'"))
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(String(buffer: page.body).contains(#"<input id="username" name="username""#))
            let signIn = try await browser.post(client, "/sign-in", [("username", "admin"), ("password", TestApp.adminPassword)])
            #expect(signIn.status == .seeOther && signIn.headers[.location] == "/")
            let cookies = signIn.headers[values: .setCookie]
            for name in ["vigil_access=", "vigil_refresh=", "vigil_csrf="] {
                let cookie = try #require(cookies.first { $0.hasPrefix(name) })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
            }
            #expect(try await browser.get(client, "/").headers[.location] == "/alerts")
            #expect(try await browser.get(client, "/alerts").status == .ok)
            // The filter form as a browser submits it: every field, most of them empty.
            let form = "status=open&severity=critical&min_severity=&rule_id=&assignee=&q=&from=&to=&sort=severity&order=desc&limit="
            let filtered = try await browser.get(client, "/alerts?\(form)")
            #expect(filtered.status == .ok, "\(String(buffer: filtered.body))")
        }
        try await TestApp.run(TestApp.configuration { $0.publicURL = "https://vigil.example.com" }) { client in
            var browser = ConsoleBrowser()
            _ = try await browser.get(client, "/")
            let signIn = try await browser.post(client, "/sign-in", [("username", "admin"), ("password", TestApp.adminPassword)])
            #expect(signIn.headers[values: .setCookie].allSatisfy { $0.hasSuffix("; Secure") })
        }
    }

    @Test func formsWithoutThisSessionsCSRFTokenChangeNothing() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            var browser = try await ConsoleBrowser.signedIn(client, "admin", TestApp.adminPassword)
            let other = try await ConsoleBrowser.signedIn(client, "admin", TestApp.adminPassword)
            let fields = [("username", "mallory"), ("password", "mallory-password-1"), ("role", "admin")]
            for token in ["", "forged", other.csrf] {
                let response = try await browser.post(client, "/admin/users", fields, csrf: token)
                #expect(response.status == .forbidden, "\(token)")
                #expect(String(buffer: response.body).contains("CSRF"))
            }
            let users = try await client.request(.get, "/api/v1/users", token: admin).object()["items"] as? [[String: Any]]
            #expect(users?.contains { $0["username"] as? String == "mallory" } == false)
            let denied = try await client.request(.get, "/api/v1/events?type=access.denied", token: admin).object()["items"] as? [[String: Any]]
            #expect(denied?.count == 3)
            // The same form with this session's token goes through the API's own create.
            #expect(try await browser.post(client, "/admin/users", fields).status == .seeOther)
            let created = try await client.request(.get, "/api/v1/events?type=user.created", token: admin).object()["items"] as? [[String: Any]]
            #expect(created?.first?["actor"] as? String == "admin")
        }
    }

    @Test func triageFromTheConsoleIsTheAPIsTriage() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            let id = try await AlertTriageTests.raiseAlert(client, admin)
            var browser = try await ConsoleBrowser.signedIn(client, "admin", TestApp.adminPassword)
            let page = try await browser.get(client, "/alerts/\(id)")
            #expect(String(buffer: page.body).contains(#"value="acknowledged""#))
            let done = try await browser.post(client, "/alerts/\(id)", [("status", "acknowledged"), ("note", "on it")])
            #expect(done.status == .seeOther && done.headers[.location] == "/alerts/\(id)")
            let alert = try await client.request(.get, "/api/v1/alerts/\(id)", token: admin).object()
            #expect(alert["status"] as? String == "acknowledged")
            // The lifecycle's refusal is the API's: 409 with the problem's text, as a page.
            let refused = try await browser.post(client, "/alerts/\(id)", [("status", "open")])
            #expect(refused.status == .conflict && String(buffer: refused.body).contains("resolved, dismissed"))
            // An analyst reads the page without buttons, and the API's role check refuses the post.
            try await client.makeAnalyst(admin: admin)
            var analyst = try await ConsoleBrowser.signedIn(client, "ann", "analyst-pass-1")
            let readOnly = String(buffer: try await analyst.get(client, "/alerts/\(id)").body)
            #expect(readOnly.contains("Read-only") && !readOnly.contains(#"name="status" value="#))
            #expect(try await analyst.post(client, "/alerts/\(id)", [("status", "resolved")]).status == .forbidden)
        }
    }

    @Test func anExpiredAccessCookieRotatesTheRefreshTokenOnceForParallelRequests() async throws {
        try await TestApp.run { client in
            let admin = try await client.adminToken()
            var browser = try await ConsoleBrowser.signedIn(client, "admin", TestApp.adminPassword)
            browser.cookies["vigil_access"] = nil
            let oldRefresh = try #require(browser.cookies["vigil_refresh"])
            let header = browser.cookieHeader
            async let first = client.execute(uri: "/alerts", method: .get, headers: [.cookie: header], body: nil)
            async let second = client.execute(uri: "/events", method: .get, headers: [.cookie: header], body: nil)
            let answers = try await [first, second]
            #expect(answers.allSatisfy { $0.status == .ok })
            let refreshes = answers.map { $0.headers[values: .setCookie].first { $0.hasPrefix("vigil_refresh=") } }
            #expect(refreshes[0] != nil && refreshes[0] == refreshes[1] && refreshes[0]?.contains(oldRefresh) == false)
            let reuse = try await client.request(.get, "/api/v1/events?type=auth.refresh.reuse_detected", token: admin).object()
            #expect((reuse["items"] as? [Any])?.isEmpty == true)
            browser.absorb(answers[0])
            #expect(try await browser.get(client, "/alerts").status == .ok)
        }
    }

    @Test func signOutRevokesTheSessionsTokenFamily() async throws {
        try await TestApp.run { client in
            var browser = try await ConsoleBrowser.signedIn(client, "admin", TestApp.adminPassword)
            let before = browser
            let out = try await browser.post(client, "/sign-out", [])
            #expect(out.status == .seeOther && browser.cookies["vigil_access"] == nil && browser.cookies["vigil_refresh"] == nil)
            var stale = before
            stale.cookies["vigil_access"] = nil
            let again = try await stale.get(client, "/alerts")
            #expect(again.status == .seeOther && again.headers[.location] == "/")
        }
    }

    @Test func badFiltersAre400PagesAndRolesLandWhereTheyMay() async throws {
        try await TestApp.run { client in
            _ = try await client.makeUser("uma")
            var user = try await ConsoleBrowser.signedIn(client, "uma", "password-1234")
            #expect(try await user.get(client, "/").headers[.location] == "/events")
            #expect(try await user.get(client, "/alerts").status == .forbidden)
            #expect(try await user.get(client, "/admin/users").status == .forbidden)
            let bad = try await user.get(client, "/events?from=yesterday&min_severity=loud")
            let html = String(buffer: bad.body)
            #expect(bad.status == .badRequest && html.contains("<code>from</code>") && html.contains("<code>min_severity</code>"), "\(html)")
            var anonymous = ConsoleBrowser()
            #expect(try await anonymous.get(client, "/events").headers[.location] == "/")
        }
    }

    @Test func theAPIReferenceShowsEveryOperationOfTheDocument() async throws {
        try await TestApp.run { client in
            var anonymous = ConsoleBrowser()
            let html = String(buffer: try await anonymous.get(client, "/docs").body)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.embedded.utf8)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var count = 0
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "patch", "delete"].contains(method) {
                    let anchor = (method + path).map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
                    #expect(html.contains(#"<section class="operation" id="\#(anchor)""#), "\(method) \(path)")
                    count += 1
                }
            }
            #expect(count > 70)
            #expect(html.contains("<h3>Parameters</h3>") && html.contains("<code>min_severity</code>"))
            #expect(html.contains(#"id="schema-Event""#) && html.contains("&quot;occurred_at&quot;"))
            // Responses given by reference are shown resolved.
            #expect(html.contains("No valid CSRF token for this session"))
        }
    }

    @Test func theOverviewCountsTheWindowFromTheStatistics() async throws {
        try await TestApp.run { client in
            let token = try await client.adminToken()
            let batch =
                (0..<3).map { _ in #"{"type":"auth.login.failed","ip":"203.0.113.44","actor":"mallory"}"# }
                + [#"{"type":"ids.alert","severity":"critical","ip":"203.0.113.44"}"#]
            let response = try await client.request(.post, "/api/v1/events/batch", token: token, json: "[" + batch.joined(separator: ",") + "]")
            #expect(response.status == .created)
            // The critical event opens an alert; its `alert.created` record is critical too.
            let alerts = try await client.waitForAlerts(token, until: { $0.count == 1 })
            #expect(alerts.count == 1)
            var browser = try await ConsoleBrowser.signedIn(client, "admin", TestApp.adminPassword)
            let page = try await browser.get(client, "/overview")
            let html = String(buffer: page.body)
            #expect(page.status == .ok, "\(html)")
            #expect(html.contains(#"<a href="/events?ip=203.0.113.44">203.0.113.44</a></td><td class="num">4</td>"#), "\(html)")
            #expect(html.contains(#"<a href="/events?actor=mallory">mallory</a></td><td class="num">3</td>"#))
            #expect(html.contains(#"<a href="/events?type=auth.login.failed">3</a>"#) && html.contains("<svg"))
            #expect(html.contains(#"<span class="label">critical</span><span class="count">2</span>"#))
            #expect(try await browser.get(client, "/overview?window=30d").status == .ok)
            let bad = try await browser.get(client, "/overview?window=1y")
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("<code>window</code>"))
        }
    }
}

@Suite struct RefreshCoalescerTests {
    static func issued(_ name: String) -> SessionTokens.Issued {
        let user = User(id: UUID(), username: name, passwordHash: "", role: .admin, createdAt: .now(), updatedAt: .now())
        return SessionTokens.Issued(user: user, accessToken: "access-\(name)", refreshToken: "refresh-\(name)")
    }

    @Test func oneRotationPerTokenWithinTheWindowAndMemoryBounded() async throws {
        let coalescer = RefreshCoalescer(windowSeconds: 10, capacity: 1)
        let first = try await coalescer.rotate("token-a") { Self.issued("one") }
        let again = try await coalescer.rotate("token-a") { Self.issued("two") }
        #expect(first.refreshToken == "refresh-one" && again.refreshToken == "refresh-one")
        // Full: another token still rotates, but is not remembered.
        #expect(try await coalescer.rotate("token-b") { Self.issued("three") }.refreshToken == "refresh-three")
        #expect(try await coalescer.rotate("token-b") { Self.issued("four") }.refreshToken == "refresh-four")
    }
}
