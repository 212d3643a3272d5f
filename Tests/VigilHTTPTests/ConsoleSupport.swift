import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import VigilHTTP

/// A browser's part for in-process tests: a cookie jar and the CSRF token of the last page.
struct ConsoleBrowser {
    var cookies: [String: String] = [:]
    var csrf = ""

    var cookieHeader: String { self.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    mutating func absorb(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.prefix { $0 != ";" }
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            if header.contains("Max-Age=0") { self.cookies[name] = nil } else { self.cookies[name] = value }
        }
        let html = String(buffer: response.body)
        if let range = html.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) {
            self.csrf = String(html[range].dropFirst(19).dropLast())
        }
    }

    mutating func get(_ client: some TestClientProtocol, _ path: String) async throws -> TestResponse {
        let response = try await client.execute(uri: path, method: .get, headers: [.cookie: self.cookieHeader], body: nil)
        self.absorb(response)
        return response
    }

    /// Posts `fields` as a form; the page's CSRF token is added unless `csrf` says otherwise.
    mutating func post(
        _ client: some TestClientProtocol,
        _ path: String,
        _ fields: [(String, String)],
        csrf: String? = nil
    ) async throws
        -> TestResponse
    {
        var all = fields
        if let token = csrf ?? (self.csrf.isEmpty ? nil : self.csrf) { all.append(("csrf", token)) }
        let body = all.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        let headers: HTTPFields = [.cookie: self.cookieHeader, .contentType: "application/x-www-form-urlencoded"]
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        self.absorb(response)
        return response
    }

    /// Signs in through the form and returns the browser holding the session.
    static func signedIn(_ client: some TestClientProtocol, _ username: String, _ password: String) async throws -> ConsoleBrowser {
        var browser = ConsoleBrowser()
        _ = try await browser.get(client, "/")
        let response = try await browser.post(client, "/sign-in", [("username", username), ("password", password)])
        #expect(response.status == .seeOther, "\(String(buffer: response.body))")
        _ = try await browser.get(client, "/docs")
        return browser
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
